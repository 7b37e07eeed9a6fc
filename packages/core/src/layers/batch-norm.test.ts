import { describe, expect, it } from 'vitest';
import { expectArraysClose, layerGradientErrors, uniform } from '../gradcheck/test-util.js';
import type { Mode } from '../nets/net.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { BatchNorm, type BatchNormOptions, updateRunningStats } from './batch-norm.js';

const backend = new JsBackend();

function buffers(size: number, maxRows: number): BatchNormOptions {
  const zeros = () => new Float32Array(size);
  return {
    size,
    maxRows,
    gamma: new Float32Array(size).fill(1),
    beta: zeros(),
    dgamma: zeros(),
    dbeta: zeros(),
    runningMean: zeros(),
    runningVar: zeros(),
    meanSum: zeros(),
    varSum: zeros(),
  };
}

/** The book's backward without the path through the variance (the x̂·mean(g·x̂) term). */
class NoVarianceTerm extends BatchNorm {
  override backward(dout: Float32Array, rows: number): Float32Array {
    super.backward(dout, rows);
    for (let j = 0; j < this.size; j++) {
      let meanG = 0;
      for (let i = 0; i < rows; i++) meanG += (this.gamma[j] * dout[i * this.size + j]) / rows;
      for (let i = 0; i < rows; i++) {
        const k = i * this.size + j;
        this.dx[k] = (this.gamma[j] * dout[k] - meanG) * this.invStd[j];
      }
    }
    return this.dx;
  }
}

/** The book's backward without the path through the mean (the −mean(g) term). */
class NoMeanTerm extends BatchNorm {
  override backward(dout: Float32Array, rows: number): Float32Array {
    const dx = super.backward(dout, rows);
    for (let j = 0; j < this.size; j++) {
      let meanG = 0;
      for (let i = 0; i < rows; i++) meanG += (this.gamma[j] * dout[i * this.size + j]) / rows;
      for (let i = 0; i < rows; i++) dx[i * this.size + j] += meanG * this.invStd[j];
    }
    return dx;
  }
}

describe('BatchNorm', () => {
  it('train: normalises with the batch statistics and writes rows·mean, rows·var (hand-worked)', () => {
    const options = buffers(2, 4);
    options.gamma.set([2, 3]);
    options.beta.set([0.5, -1]);
    const bn = new BatchNorm(backend, options);
    // Column 0: [1, 3] → μ 2, σ² 1, x̂ = ∓1/√(1 + 1e-6). Column 1: [5, 5] → x̂ = 0, out = β.
    const out = bn.forward(Float32Array.from([1, 5, 3, 5]), 2, 'train');
    const s = 1 / Math.sqrt(1 + 1e-6);
    expectArraysClose(out.subarray(0, 4), [0.5 - 2 * s, -1, 0.5 + 2 * s, -1]);
    expect(Array.from(options.meanSum)).toEqual([4, 10]);
    expect(Array.from(options.varSum)).toEqual([2, 0]);
  });

  it('eval: normalises with the running statistics and leaves statsSum alone', () => {
    const options = buffers(1, 2);
    options.runningMean.set([2]);
    options.runningVar.set([4]);
    options.meanSum.set([42]);
    const bn = new BatchNorm(backend, options);
    expectArraysClose(bn.forward(Float32Array.from([6, 0]), 2, 'eval'), [2, -1], { rtol: 1e-5 });
    expect(options.meanSum[0]).toBe(42);
  });

  it.each<Mode>(['train', 'eval'])(
    '%s backward matches central differences for x, gamma and beta',
    (mode) => {
      const rng = new Rng(mode === 'train' ? 1 : 2);
      const options = buffers(4, 5);
      options.gamma.set(uniform(4, rng, 0.5, 2));
      options.beta.set(uniform(4, rng));
      options.runningMean.set(uniform(4, rng));
      options.runningVar.set(uniform(4, rng, 0.5, 2));
      const bn = new BatchNorm(backend, options);
      const errors = layerGradientErrors(
        bn,
        uniform(20, rng, -2, 2),
        5,
        4,
        [
          { name: 'gamma', value: options.gamma, grad: options.dgamma },
          { name: 'beta', value: options.beta, grad: options.dbeta },
        ],
        { mode },
      );
      for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(2e-3);
    },
  );

  it('gradient check catches a dropped variance term and a dropped mean term', () => {
    const x = uniform(20, new Rng(3), -2, 2);
    for (const Broken of [NoVarianceTerm, NoMeanTerm]) {
      const options = buffers(4, 5);
      options.gamma.set(uniform(4, new Rng(4), 0.5, 2));
      expect(layerGradientErrors(new Broken(backend, options), x, 5, 4).x, Broken.name).toBeGreaterThan(0.1);
    }
  });

  it('updateRunningStats moves the averages by momentum 0.9 toward statsSum / batch', () => {
    // Two shards of 2 rows with means 1 and 3: statsSum = 2·1 + 2·3 = 8 over a batch of 4 → mean 2.
    const stats = Float32Array.from([1, 0]);
    updateRunningStats(backend, stats, Float32Array.from([8, 4]), 4);
    expectArraysClose(stats, [0.9 * 1 + 0.1 * 2, 0.1 * 1]);
    expect(() => updateRunningStats(backend, stats, Float32Array.from([8, 4]), 0)).toThrow(/batchSize/);
  });

  it('rejects views of the wrong size', () => {
    expect(() => new BatchNorm(backend, { ...buffers(3, 1), beta: new Float32Array(2) })).toThrow(
      /beta must have 3 elements, got 2/,
    );
  });
});
