import { describe, expect, it } from 'vitest';
import {
  fitError,
  fitStepModel,
  type ModelPoint,
  predictSamplesPerSecond,
  predictStepMs,
  resultsPerStep,
} from './fit-model.js';

const truth = { c: 0.002, h: 0.3, g: 0.05, b: 0.2, o: 0.4 };

function grid(): ModelPoint[] {
  const out: ModelPoint[] = [];
  for (const shards of [4, 16])
    for (const workers of [1, 2, 4, 8, 16])
      for (const batch of [100, 1000, 6000])
        out.push({
          workers,
          batch,
          shards,
          results: shards === 16 ? shards : workers,
          cores: 2,
          params: 40_000,
        });
  return out;
}

describe('fitStepModel', () => {
  it('recovers the coefficients of data the model generated, with no fit error', () => {
    const points = grid();
    const steps = points.map((p) => predictStepMs(truth, p));
    const fitted = fitStepModel(points, steps);
    for (const k of ['c', 'h', 'g', 'b', 'o'] as const) expect(fitted[k]).toBeCloseTo(truth[k], 4);
    expect(fitError(fitted, points, steps).max).toBeLessThan(1e-6);
  });

  it('keeps every coefficient non-negative', () => {
    const points = grid();
    const steps = points.map(
      (p) => predictStepMs({ ...truth, b: 0 }, p) * (1 + 0.05 * Math.sin(p.workers * p.batch)),
    );
    const fitted = fitStepModel(points, steps);
    expect(Object.values(fitted).every((v) => v >= 0)).toBe(true);
  });

  it('adds two latencies and the bytes through the coordinator’s link to a step', () => {
    const p: ModelPoint = { workers: 4, batch: 100, shards: 4, results: 4, cores: 4, params: 1_000_000 };
    const zero = { c: 0, h: 0, g: 0, b: 0, o: 0 };
    // 8 · 1e6 · (4·4 + 4·4) bits at 1 Gbit/s = 256 ms, plus 2 × 10 ms.
    expect(predictStepMs(zero, { ...p, latencyMs: 10, bitsPerSecond: 1e9 })).toBeCloseTo(276, 6);
    expect(predictSamplesPerSecond({ ...zero, o: 100 }, p)).toBeCloseTo(1000, 6);
  });
});

describe('resultsPerStep', () => {
  it('counts one result per tree node of each worker’s shards with float32, one per shard with 16-bit', () => {
    expect([1, 2, 4, 8, 16].map((n) => resultsPerStep(n, 16, 'f32'))).toEqual([1, 2, 4, 8, 16]);
    expect(resultsPerStep(3, 16, 'f32')).toBeGreaterThanOrEqual(3);
    expect(resultsPerStep(2, 16, 'f16')).toBe(16);
  });
});
