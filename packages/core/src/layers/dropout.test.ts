import { describe, expect, it } from 'vitest';
import { expectArraysClose, layerGradientErrors, uniform } from '../gradcheck/test-util.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { Dropout } from './dropout.js';

const backend = new JsBackend();

/** The mask the layer must draw: keep where a uniform 32-bit draw / 2^32 exceeds the ratio. */
function expectedMask(length: number, ratio: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length }, () => (rng.nextUint32() / 2 ** 32 > ratio ? 1 : 0));
}

describe('Dropout', () => {
  it('train: masks with draws from the Rng given, and backward passes dout through the same mask', () => {
    const dropout = new Dropout(backend, 4, 3, 0.5);
    const x = uniform(12, new Rng(1), 1, 2);
    const mask = expectedMask(12, 0.5, 7);
    expect(mask).toContain(0);
    expect(mask).toContain(1);
    const out = dropout.forward(x, 3, 'train', new Rng(7));
    expectArraysClose(
      out,
      mask.map((m, i) => m * x[i]),
    );
    const dout = uniform(12, new Rng(2));
    const doutCopy = Array.from(dout);
    expectArraysClose(
      dropout.backward(dout, 3),
      mask.map((m, i) => m * dout[i]),
    );
    expect(Array.from(dout)).toEqual(doutCopy);
  });

  it('train keeps about (1 − ratio) of the units', () => {
    const dropout = new Dropout(backend, 100, 100, 0.3);
    const out = dropout.forward(new Float32Array(10_000).fill(1), 100, 'train', new Rng(3));
    const kept = out.reduce((s, v) => s + v, 0) / 10_000;
    expect(kept).toBeGreaterThan(0.68);
    expect(kept).toBeLessThan(0.72);
  });

  it('eval: scales by (1 − ratio) both ways, as the book', () => {
    const dropout = new Dropout(backend, 2, 2, 0.25);
    expectArraysClose(dropout.forward(Float32Array.from([4, 8, -4, 0]), 2, 'eval'), [3, 6, -3, 0]);
    expectArraysClose(dropout.backward(Float32Array.from([1, 2, 3, 4]), 2), [0.75, 1.5, 2.25, 3]);
  });

  it('train needs an Rng; the ratio must be in [0, 1)', () => {
    const dropout = new Dropout(backend, 2, 1, 0.5);
    expect(() => dropout.forward(new Float32Array(2), 1, 'train')).toThrow(/needs an Rng/);
    expect(() => new Dropout(backend, 2, 1, 1)).toThrow(/ratio must be in \[0, 1\)/);
  });

  it('backward matches central differences for a fixed mask, and the check catches an ignored mask', () => {
    class IgnoresMask extends Dropout {
      override backward(dout: Float32Array, rows: number): Float32Array {
        super.backward(dout, rows);
        return dout;
      }
    }
    const x = uniform(15, new Rng(4));
    expect(layerGradientErrors(new Dropout(backend, 5, 3, 0.4), x, 3, 5, [], { seed: 9 }).x).toBeLessThan(
      1e-3,
    );
    expect(
      layerGradientErrors(new IgnoresMask(backend, 5, 3, 0.4), x, 3, 5, [], { seed: 9 }).x,
    ).toBeGreaterThan(0.5);
  });
});
