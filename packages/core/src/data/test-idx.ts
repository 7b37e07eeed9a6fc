import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from './idx.js';
import { MNIST_FILES } from './mnist.js';

/** Small, deterministic MNIST-format data sets for tests. */
export interface TinySplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly rows: number;
  readonly cols: number;
}

export function tinySplit(count: number, rows = 3, cols = 2, salt = 0): TinySplit {
  const images = Uint8Array.from({ length: count * rows * cols }, (_, i) => (i * 37 + salt * 11) % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 3 + salt) % 10);
  return { images, labels, rows, cols };
}

export function imagesIdx(split: TinySplit): Uint8Array {
  return encodeIdx({
    kind: 'images',
    dims: [split.labels.length, split.rows, split.cols],
    data: split.images,
  });
}

export function labelsIdx(split: TinySplit): Uint8Array {
  return encodeIdx({ kind: 'labels', dims: [split.labels.length], data: split.labels });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'descent-test-'));
}

/** Writes the four standard files into a fresh temp dir (gzip-compressed when `gz`); returns the dir. */
export function writeTinyMnist(train: TinySplit, test: TinySplit, gz = false): string {
  const dir = tempDir();
  const files: [string, Uint8Array][] = [
    [MNIST_FILES.trainImages, imagesIdx(train)],
    [MNIST_FILES.trainLabels, labelsIdx(train)],
    [MNIST_FILES.testImages, imagesIdx(test)],
    [MNIST_FILES.testLabels, labelsIdx(test)],
  ];
  for (const [name, bytes] of files) {
    if (gz) writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
    else writeFileSync(join(dir, name), bytes);
  }
  return dir;
}
