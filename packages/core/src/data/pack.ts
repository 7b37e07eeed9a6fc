import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { DataError, DataErrorCode } from './data-error.js';
import type { DataSplits, Dataset } from './dataset.js';
import { decodeIdxAt, encodeIdx, type IdxArray, type IdxKind } from './idx.js';
import { MNIST_FILES } from './mnist.js';
import { type IdxSplit, MNIST_CLASSES, splitsFromIdx } from './splits.js';

/**
 * The data set as one byte string for workers without a local copy:
 *   "DSCNTDS1" (8 bytes) · fingerprint (32 raw bytes) · the four uncompressed IDX files back to back
 *   (train images, train labels, test images, test labels; each IDX header gives its own length).
 */
const MAGIC = new TextEncoder().encode('DSCNTDS1');
const FINGERPRINT_BYTES = 32;
const HEADER_BYTES = MAGIC.length + FINGERPRINT_BYTES;
const PACK_NAME = 'packed data set';

export function packDataset(splits: DataSplits): Uint8Array {
  const parts = [...idxArraysOf(splits.train), ...idxArraysOf(splits.test)].map(encodeIdx);
  const out = new Uint8Array(HEADER_BYTES + parts.reduce((n, p) => n + p.length, 0));
  out.set(MAGIC);
  out.set(Buffer.from(splits.fingerprint, 'hex'), MAGIC.length);
  let at = HEADER_BYTES;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The splits inside a packed data set, after checking they hash to the fingerprint it carries (and to
 * `expectedFingerprint` when given). Pixels are views into `bytes`, which must not be modified afterwards.
 */
export function unpackDataset(bytes: Uint8Array, expectedFingerprint?: string): DataSplits {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError(
      DataErrorCode.badPack,
      `The ${PACK_NAME} does not start with the DSCNTDS1 header; the sender is not a compatible descent version.`,
      {
        file: PACK_NAME,
      },
    );
  }
  const carried = Buffer.from(bytes.subarray(MAGIC.length, HEADER_BYTES)).toString('hex');
  let at = HEADER_BYTES;
  const next = (kind: IdxKind, role: keyof typeof MNIST_FILES): { array: IdxArray; file: string } => {
    const file = `${PACK_NAME}: ${MNIST_FILES[role]}`;
    const { array, end } = decodeIdxAt(bytes, at, file, kind);
    at = end;
    return { array, file };
  };
  const train = idxSplit(next('images', 'trainImages'), next('labels', 'trainLabels'));
  const test = idxSplit(next('images', 'testImages'), next('labels', 'testLabels'));
  if (at !== bytes.length) {
    throw new DataError(
      DataErrorCode.trailingBytes,
      `The ${PACK_NAME} has ${bytes.length - at} bytes after its last file; it is damaged.`,
      {
        file: PACK_NAME,
      },
    );
  }
  const splits = splitsFromIdx(train, test, PACK_NAME, MNIST_CLASSES);
  for (const [want, what] of [
    [carried, 'the fingerprint it carries'],
    [expectedFingerprint, 'the expected fingerprint'],
  ] as const) {
    if (want !== undefined && splits.fingerprint !== want) {
      throw new DataError(
        DataErrorCode.fingerprintMismatch,
        `The ${PACK_NAME} hashes to ${splits.fingerprint}, not ${what} ${want}: it was damaged in transfer. Fetch it again.`,
        { file: PACK_NAME },
      );
    }
  }
  return splits;
}

/**
 * Writes the four standard raw IDX files into `dir` so `loadMnist(dir)` reads this data set back. Each file
 * is replaced atomically; a crash between files leaves a mix that the fingerprint check then refuses.
 */
export function writeDatasetCache(dir: string, splits: DataSplits): void {
  mkdirSync(dir, { recursive: true });
  const [trainImages, trainLabels] = idxArraysOf(splits.train);
  const [testImages, testLabels] = idxArraysOf(splits.test);
  const files: Record<keyof typeof MNIST_FILES, IdxArray> = {
    trainImages,
    trainLabels,
    testImages,
    testLabels,
  };
  for (const role of Object.keys(MNIST_FILES) as (keyof typeof MNIST_FILES)[]) {
    writeFileAtomic(join(dir, MNIST_FILES[role]), encodeIdx(files[role]));
  }
}

function idxArraysOf(set: Dataset): [IdxArray, IdxArray] {
  return [
    { kind: 'images', dims: [set.count, set.rows, set.cols], data: set.images },
    { kind: 'labels', dims: [set.count], data: set.labels },
  ];
}

function idxSplit(
  images: { array: IdxArray; file: string },
  labels: { array: IdxArray; file: string },
): IdxSplit {
  return { images: images.array, labels: labels.array, imagesFile: images.file, labelsFile: labels.file };
}
