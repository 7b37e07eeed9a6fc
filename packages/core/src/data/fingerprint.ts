import { createHash } from 'node:crypto';
import type { Dataset } from './dataset.js';
import { idxHeader } from './idx.js';

/**
 * SHA-256 (hex) over the four uncompressed IDX files in the order train images, train labels, test images,
 * test labels — the same as `cat` of the four raw files piped to sha256sum. Headers are included so the
 * shape is covered; compression is not, so a raw and a .gz copy of the same data agree.
 */
export function datasetFingerprint(train: Dataset, test: Dataset): string {
  const hash = createHash('sha256');
  for (const split of [train, test]) {
    hash.update(idxHeader('images', [split.count, split.rows, split.cols]));
    hash.update(split.images);
    hash.update(idxHeader('labels', [split.count]));
    hash.update(split.labels);
  }
  return hash.digest('hex');
}
