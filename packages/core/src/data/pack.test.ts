import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { loadMnist } from './mnist.js';
import { packDataset, unpackDataset, writeDatasetCache } from './pack.js';
import { tempDir, tinySplit, writeTinyMnist } from './test-idx.js';

const splits = loadMnist(writeTinyMnist(tinySplit(6, 4, 5, 1), tinySplit(3, 4, 5, 2), true));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('packDataset / unpackDataset', () => {
  it('round-trips both splits exactly, with the same fingerprint', () => {
    const back = unpackDataset(packDataset(splits), splits.fingerprint);
    expect(back.fingerprint).toBe(splits.fingerprint);
    for (const name of ['train', 'test'] as const) {
      expect(back[name]).toMatchObject({ count: splits[name].count, rows: 4, cols: 5, classes: 10 });
      expect(back[name].images).toEqual(splits[name].images);
      expect(back[name].labels).toEqual(splits[name].labels);
    }
  });

  it('is the four IDX files plus a 40-byte header', () => {
    const idxBytes = (n: number) => 16 + n * 20 + 8 + n;
    expect(packDataset(splits).length).toBe(40 + idxBytes(6) + idxBytes(3));
  });

  it('refuses a pack whose pixels were damaged in transfer', () => {
    const bytes = packDataset(splits);
    bytes[bytes.length - 20] ^= 1;
    expect(codeOf(() => unpackDataset(bytes))).toBe('DATA_FINGERPRINT_MISMATCH');
  });

  it('refuses a pack that is not the data set the caller expects', () => {
    expect(codeOf(() => unpackDataset(packDataset(splits), '0'.repeat(64)))).toBe(
      'DATA_FINGERPRINT_MISMATCH',
    );
  });

  it('refuses bytes without the header, cut short, or with bytes after the last file', () => {
    const bytes = packDataset(splits);
    expect(codeOf(() => unpackDataset(new TextEncoder().encode('hello')))).toBe('DATA_BAD_PACK');
    expect(codeOf(() => unpackDataset(bytes.subarray(0, bytes.length - 1)))).toBe('DATA_TRUNCATED');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(codeOf(() => unpackDataset(longer))).toBe('DATA_TRAILING_BYTES');
  });
});

describe('writeDatasetCache', () => {
  it('writes the four raw standard files that loadMnist(dir) reads back to the same fingerprint', () => {
    const dir = join(tempDir(), 'cache');
    writeDatasetCache(dir, unpackDataset(packDataset(splits)));
    expect(readdirSync(dir).sort()).toEqual([
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
    ]);
    expect(loadMnist(dir).fingerprint).toBe(splits.fingerprint);
  });
});
