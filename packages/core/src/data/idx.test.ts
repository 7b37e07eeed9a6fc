import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { decodeIdx, readIdx } from './idx.js';
import { imagesIdx, labelsIdx, tempDir, tinySplit } from './test-idx.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('readIdx', () => {
  const split = tinySplit(4, 3, 2);

  it('decodes images with big-endian dims and keeps the pixels as a view of the file bytes', () => {
    const bytes = imagesIdx(split);
    const array = decodeIdx(bytes, 'images');
    expect(array.kind).toBe('images');
    expect(array.dims).toEqual([4, 3, 2]);
    expect(array.data).toEqual(split.images);
    expect(array.data.buffer).toBe(bytes.buffer);
  });

  it('reads raw and gzip files (recognised by content) to the same labels', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'raw'), labelsIdx(split));
    writeFileSync(join(dir, 'packed.gz'), gzipSync(labelsIdx(split)));
    writeFileSync(join(dir, 'packed-no-suffix'), gzipSync(labelsIdx(split)));
    for (const name of ['raw', 'packed.gz', 'packed-no-suffix']) {
      const array = readIdx(join(dir, name), 'labels');
      expect(array.dims).toEqual([4]);
      expect(array.data).toEqual(split.labels);
    }
  });

  it('reports a missing file with its path', () => {
    const path = join(tempDir(), 'nope');
    expect(codeOf(() => readIdx(path))).toMatch(/^DATA_NOT_FOUND: .*nope/);
  });

  it('refuses a file that is not IDX', () => {
    expect(codeOf(() => decodeIdx(new TextEncoder().encode('PK\u0003\u0004 zip'), 'f.zip'))).toMatch(
      /^DATA_BAD_MAGIC: f\.zip: not an IDX file/,
    );
  });

  it('refuses labels where images are expected, naming both magics', () => {
    expect(codeOf(() => decodeIdx(labelsIdx(split), 'train-images', 'images'))).toMatch(
      /^DATA_BAD_MAGIC: .*0x00000801 \(labels\), expected 0x00000803 \(images\)/,
    );
  });

  it('refuses elements that are not unsigned bytes, naming the type', () => {
    const bytes = labelsIdx(split);
    bytes[2] = 0x0d;
    expect(codeOf(() => decodeIdx(bytes, 'f'))).toMatch(/^DATA_BAD_ELEMENT_TYPE: .*float32/);
  });

  it('reports a truncated file with expected and actual sizes', () => {
    const bytes = imagesIdx(split);
    expect(codeOf(() => decodeIdx(bytes.subarray(0, bytes.length - 5), 'f'))).toMatch(
      new RegExp(`^DATA_TRUNCATED: .*expected ${bytes.length} bytes, found ${bytes.length - 5}`),
    );
    expect(codeOf(() => decodeIdx(bytes.subarray(0, 10), 'f'))).toMatch(
      /^DATA_TRUNCATED: .*expected 16 bytes, found 10/,
    );
  });

  it('refuses trailing bytes after the data', () => {
    const bytes = labelsIdx(split);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(codeOf(() => decodeIdx(longer, 'f'))).toMatch(/^DATA_TRAILING_BYTES: f: 3 bytes after/);
  });

  it('refuses images with zero rows or columns', () => {
    const bytes = imagesIdx(tinySplit(0, 0, 2));
    expect(codeOf(() => decodeIdx(bytes, 'f'))).toMatch(/^DATA_BAD_SHAPE/);
  });

  it('reports a damaged gzip stream', () => {
    const gz = gzipSync(labelsIdx(split));
    const damaged = gz.subarray(0, gz.length - 10);
    const path = join(tempDir(), 'cut.gz');
    writeFileSync(path, damaged);
    expect(codeOf(() => readIdx(path))).toMatch(/^DATA_BAD_GZIP: .*cut\.gz/);
  });
});
