import { describe, expect, it } from 'vitest';
import { AdaGrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Momentum } from './momentum.js';
import { Nesterov } from './nesterov.js';
import type { Optimizer } from './optimizer.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';
import { expectArraysClose } from './test-close.js';

// Every case starts from W = [1, −2]; the first step sees g = [0.5, 0.25], the second g = [−1, 0.25] (a sign
// flip in one coordinate, so the per-weight rules are told apart). Expected values are worked out by hand.
const G1 = new Float32Array([0.5, 0.25]);
const G2 = new Float32Array([-1, 0.25]);

function twoSteps(optimizer: Optimizer): [number[], number[]] {
  const params = new Float32Array([1, -2]);
  optimizer.update(params, G1);
  const first = Array.from(params);
  optimizer.update(params, G2);
  return [first, Array.from(params)];
}

describe('update rules, checked against hand-worked steps', () => {
  it('sgd subtracts lr times the gradient', () => {
    // W1 = [1 − 0.1·0.5, −2 − 0.1·0.25] = [0.95, −2.025]
    // W2 = [0.95 + 0.1·1, −2.025 − 0.025] = [1.05, −2.05]
    const [w1, w2] = twoSteps(new Sgd(2, { lr: 0.1 }));
    expectArraysClose(w1, [0.95, -2.025]);
    expectArraysClose(w2, [1.05, -2.05]);
  });

  it('momentum keeps a velocity v = 0.9·v − lr·g and adds it', () => {
    // v1 = −0.1·G1 = [−0.05, −0.025]            W1 = [0.95, −2.025]
    // v2 = 0.9·v1 − 0.1·G2 = [−0.045 + 0.1, −0.0225 − 0.025] = [0.055, −0.0475]
    // W2 = [1.005, −2.0725]
    const [w1, w2] = twoSteps(new Momentum(2, { lr: 0.1 }));
    expectArraysClose(w1, [0.95, -2.025]);
    expectArraysClose(w2, [1.005, -2.0725]);
  });

  it('nesterov adds α²·v and subtracts (1 + α)·lr·g, as the book', () => {
    // α = 0.9, lr = 0.1: α² = 0.81, (1 + α)·lr = 0.19
    // v1 = [−0.05, −0.025]; W1 = W0 + 0.81·v1 − 0.19·G1
    //    = [1 − 0.0405 − 0.095, −2 − 0.02025 − 0.0475] = [0.8645, −2.06775]
    // v2 = [0.055, −0.0475]; W2 = W1 + 0.81·v2 − 0.19·G2
    //    = [0.8645 + 0.04455 + 0.19, −2.06775 − 0.038475 − 0.0475] = [1.09905, −2.153725]
    const [w1, w2] = twoSteps(new Nesterov(2, { lr: 0.1 }));
    expectArraysClose(w1, [0.8645, -2.06775]);
    expectArraysClose(w2, [1.09905, -2.153725]);
  });

  it('adagrad divides by the root of the summed squared gradients', () => {
    // h1 = [0.25, 0.0625], √h1 = [0.5, 0.25]: each weight moves by lr on the first step
    // W1 = [1 − 0.1·0.5/0.5, −2 − 0.1·0.25/0.25] = [0.9, −2.1]
    // h2 = [1.25, 0.125], √h2 = [1.1180340, 0.3535534]
    // W2 = [0.9 + 0.1/1.1180340, −2.1 − 0.025/0.3535534] = [0.9894427, −2.1707107]
    const [w1, w2] = twoSteps(new AdaGrad(2, { lr: 0.1 }));
    expectArraysClose(w1, [0.9, -2.1]);
    expectArraysClose(w2, [0.9894427, -2.1707107]);
  });

  it('rmsprop divides by the root of a decaying average of squared gradients', () => {
    // ρ = 0.99, lr = 0.01
    // h1 = 0.01·G1² = [0.0025, 0.000625], √h1 = [0.05, 0.025]
    // W1 = [1 − 0.01·0.5/0.05, −2 − 0.01·0.25/0.025] = [0.9, −2.1]
    // h2 = 0.99·h1 + 0.01·G2² = [0.012475, 0.00124375], √h2 = [0.1116915, 0.0352668]
    // W2 = [0.9 + 0.01/0.1116915, −2.1 − 0.0025/0.0352668] = [0.9895322, −2.1708879]
    const [w1, w2] = twoSteps(new RmsProp(2, { lr: 0.01 }));
    expectArraysClose(w1, [0.9, -2.1]);
    expectArraysClose(w2, [0.9895322, -2.1708879]);
  });

  it('adam folds the bias correction into lr_t = lr·√(1 − β2^t)/(1 − β1^t)', () => {
    // lr = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-7
    // t = 1: m = 0.1·G1 = [0.05, 0.025], v = 0.001·G1² = [0.00025, 0.0000625], √v = [0.0158114, 0.0079057]
    //        lr_t = 0.1·√0.001/0.1 = 0.0316228, so without ε the step is lr·sign(g) = 0.1 per weight;
    //        ε shaves a relative ε/√v off it: [0.1·(1 − 6.3e-6), 0.1·(1 − 1.26e-5)]
    //        W1 = [0.9000006, −2.0999987]
    // t = 2: m = m + 0.1·(G2 − m) = [−0.055, 0.0475]
    //        v = v + 0.001·(G2² − v) = [0.00124975, 0.0001249375], √v = [0.0353518, 0.0111775]
    //        lr_t = 0.1·√0.001999/0.19 = 0.0235317
    //        W2 = W1 − lr_t·m/(√v + ε) = [0.9000006 + 0.0235317·1.555786, −2.0999987 − 0.0235317·4.249571]
    //           = [0.9366109, −2.1999978]
    const [w1, w2] = twoSteps(new Adam(2, { lr: 0.1 }));
    expectArraysClose(w1, [0.9000006, -2.0999987]);
    expectArraysClose(w2, [0.9366109, -2.1999978]);
  });

  it('uses the book defaults when no options are given', () => {
    expect(new Sgd(1).lr).toBe(0.01);
    expect(new Momentum(1)).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(new Nesterov(1)).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(new AdaGrad(1).lr).toBe(0.01);
    expect(new RmsProp(1)).toMatchObject({ lr: 0.01, decayRate: 0.99 });
    expect(new Adam(1)).toMatchObject({ lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7 });
  });

  it('refuses buffers of a size other than the one it was built for', () => {
    const adam = new Adam(3);
    expect(() => adam.update(new Float32Array(2), new Float32Array(2))).toThrow(
      expect.objectContaining({ code: 'ERR_OPTIMIZER_SIZE' }),
    );
  });
});
