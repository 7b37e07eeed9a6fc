// Small synthetic classification data for the nets' tests (not part of the build).
import { Rng } from '../rng.js';

export interface Blobs {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** `count` points with unit spread around `classes` random centres, each about 3 from the origin. */
export function gaussianBlobs(count: number, features: number, classes: number, seed: number): Blobs {
  const rng = new Rng(seed);
  const centres = Float32Array.from(
    { length: classes * features },
    () => (3 / Math.sqrt(features)) * rng.nextGaussian(),
  );
  const x = new Float32Array(count * features);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = rng.nextInt(classes);
    labels[i] = c;
    for (let j = 0; j < features; j++) x[i * features + j] = centres[c * features + j] + rng.nextGaussian();
  }
  return { x, labels, count };
}

/** Rows [start, start + rows) of a data set. */
export function rowsOf(data: Blobs, features: number, start: number, rows: number) {
  return {
    x: data.x.subarray(start * features, (start + rows) * features),
    labels: data.labels.subarray(start, start + rows),
  };
}
