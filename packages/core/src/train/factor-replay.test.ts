import { describe, expect, it } from 'vitest';
import { DataError } from '../data/data-error.js';
import { MultiLayerNet } from '../nets/multi-layer-net.js';
import type { Net } from '../nets/net.js';
import { createOptimizer } from '../optim/create.js';
import { expectBitwiseEqual } from '../optim/test-close.js';
import type { Backend } from '../tensor/backend.js';
import { JsBackend } from '../tensor/js-backend.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { StepAccumulator } from './accumulator.js';
import { applyStep } from './apply.js';
import type { OptimizerConfig } from './config.js';
import { FactorReplay, FactorReplayError } from './factor-replay.js';
import { ShardComputer, ShardComputerError } from './shard-computer.js';
import { treeNodes } from './shard-tree.js';
import { shardRanges } from './shards.js';
import { imageSet, smallNet, syntheticDataset } from './test-fixtures.js';

const backends: [string, () => Backend][] = [
  ['js', () => new JsBackend()],
  ['wasm', () => new WasmBackend()],
];

const momentum: OptimizerConfig = {
  name: 'momentum',
  lr: 0.1,
  momentum: 0.9,
  decayRate: 0.99,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};

function mnistLikeNet(backend: Backend, batch: number, weightDecay: number): Net {
  return new MultiLayerNet(backend, {
    inputSize: 784,
    hiddenSizes: [50],
    outputSize: 10,
    dropout: 0,
    batchNorm: false,
    weightDecay,
    seed: 7,
    maxRows: batch,
  });
}

/** Two processes of one factored run over 100 MNIST-like rows in 4 shards: nets, optimizers, replays, computers. */
function twoProcesses(seed: number) {
  const data = imageSet(300, 784, 0.2, seed);
  const [batch, shards] = [100, 4];
  const ranges = shardRanges(batch, shards);
  const nets = [0, 1].map(() => mnistLikeNet(new WasmBackend(), batch, 0));
  return {
    data,
    batch,
    shards,
    nets,
    optimizers: nets.map((net) => createOptimizer(momentum, net.params.length, net.backend)),
    replays: nets.map((net) => new FactorReplay(net, data, ranges)),
    computers: nets.map((net) => new ShardComputer(net, data, 1, ranges, { factored: true })),
  };
}

describe('a step whose first-layer weight gradient travels as its factor', () => {
  for (const [name, backend] of backends) {
    for (const [what, density, batch, shards, decay] of [
      ['sparse pixels, 100 rows in 16 shards', 0.2, 100, 16, 0],
      ['dense pixels, 90 rows in 11 shards, weight decay', 0.9, 90, 11, 0.01],
    ] as const) {
      it(`gives the parameters of the whole gradient, bitwise, step after step (${name}, ${what})`, () => {
        const data = imageSet(300, 784, density, 3);
        const ranges = shardRanges(batch, shards);
        const whole = mnistLikeNet(backend(), batch, decay);
        const split = mnistLikeNet(backend(), batch, decay);
        const wholeOptimizer = createOptimizer(momentum, whole.params.length, whole.backend);
        const splitOptimizer = createOptimizer(momentum, split.params.length, split.backend);
        const reference = new ShardComputer(whole, data, 1, ranges);
        const factored = new ShardComputer(split, data, 1, ranges, { factored: true });
        const replay = new FactorReplay(split, data, ranges);
        const width = replay.layout.width;
        expect(replay.layout).toEqual({ weights: 784 * 50, width: 50 });
        const rest = new StepAccumulator(replay.restLength, 0, shards);
        const indices = new Int32Array(batch);

        for (let step = 0; step < 3; step++) {
          for (let i = 0; i < batch; i++) indices[i] = (i * 37 + 11 * step + 5) % data.count;
          const out = reference.computeNode(step, 0, shards, indices);
          applyStep(whole, wholeOptimizer, out.grad, out.stats, batch);

          rest.reset();
          const cut = Math.ceil(shards / 3);
          for (const node of [...treeNodes(0, cut, shards), ...treeNodes(cut, shards, shards)]) {
            const start = ranges[node.first].start;
            const end = ranges[node.end - 1].end;
            const part = factored.computeNode(step, node.first, node.end, indices.subarray(start, end));
            expect(part.grad.length).toBe(replay.restLength);
            expect(part.factor?.length).toBe((end - start) * width);
            rest.accept(node.first, node.end, part.grad, part.stats, part.lossSum, part.correct, part.rows);
            replay.factor.set(part.factor!, start * width);
          }
          replay.apply(splitOptimizer, indices, rest.result().gradSum, rest.result().statsSum);
          expectBitwiseEqual(split.params, whole.params);
        }
      });
    }
  }

  it('forms from a factored pass the weight gradient of an unfactored one, bitwise, only right after it', () => {
    const data = imageSet(300, 784, 0.2, 5);
    const ranges = shardRanges(100, 4);
    const indices = Int32Array.from({ length: 100 }, (_, i) => (i * 29 + 3) % data.count);
    const [plain, factored] = [false, true].map((f) => {
      const net = mnistLikeNet(new WasmBackend(), 100, 0);
      return { net, computer: new ShardComputer(net, data, 1, ranges, { factored: f }) };
    });
    plain.computer.computeNode(0, 0, 4, indices);
    factored.computer.computeNode(0, 0, 4, indices);
    const weights = new Float32Array(784 * 50);
    factored.net.factoredWeights(weights);
    expectBitwiseEqual(weights, plain.net.grads.subarray(0, weights.length));
    factored.computer.evaluate(data, 0, 10);
    expect(() => factored.net.factoredWeights(weights)).toThrow(/not gradientFactored/);
  });

  it('applies a step prepared from its own whole-batch factor bitwise, and forms it afresh when the update differs', () => {
    const { data, batch, shards, nets, optimizers, replays, computers } = twoProcesses(4);
    const computer = computers[0];
    const indices = new Int32Array(batch);
    const other = new Int32Array(batch);
    for (let step = 0; step < 3; step++) {
      for (let i = 0; i < batch; i++) indices[i] = (i * 41 + 13 * step + 2) % data.count;
      const out = computer.computeNode(step, 0, shards, indices);
      const factor = out.factor!.slice();
      const rest = out.grad.slice();
      const stats = out.stats.slice();
      replays[0].prepare(indices, factor);
      // Step 1's update brings another factor and step 2's other indices than were prepared for.
      if (step === 1) factor[7] += 0.5;
      other.set(indices);
      if (step === 2) other[3] = (other[3] + 1) % data.count;
      replays.forEach((replay, k) => {
        replay.apply(optimizers[k], other, rest, stats, factor);
      });
      expectBitwiseEqual(nets[0].params, nets[1].params);
    }
  });

  it('computes and replays rows staged ahead with the bits of listing them then, and ignores rows staged for another step', () => {
    const { data, batch, shards, nets, optimizers, replays, computers } = twoProcesses(6);
    const batches = [0, 1, 2, 3].map((step) =>
      Int32Array.from({ length: batch }, (_, i) => (i * 43 + 17 * step + 1) % data.count),
    );
    for (let step = 0; step < 3; step++) {
      // Process 0 stages each step's rows a step ahead, but for step 2 the rows of step 3.
      if (step === 0) computers[0].stage(batches[0]);
      const outs = computers.map((computer) => computer.computeNode(step, 0, shards, batches[step]));
      const staged = step === 1 ? batches[3] : batches[step + 1];
      computers[0].stage(staged);
      replays[0].stage(staged);
      outs.forEach((out, k) => {
        replays[k].apply(
          optimizers[k],
          batches[step],
          out.grad.slice(),
          out.stats.slice(),
          out.factor!.slice(),
        );
      });
      expectBitwiseEqual(nets[0].params, nets[1].params);
    }
  });

  it('is refused for a net whose layers need one shard at a time', () => {
    const data = syntheticDataset(40, 1);
    const net = smallNet({ dropout: 0.5 });
    expect(net.factors).toBeNull();
    expect(() => new FactorReplay(net, data, shardRanges(8, 2))).toThrow(FactorReplayError);
    expect(() => new ShardComputer(net, data, 1, shardRanges(8, 2), { factored: true })).toThrow(
      ShardComputerError,
    );
  });

  it('refuses inputs of the wrong size or outside the data, leaving the parameters as they were', () => {
    const data = syntheticDataset(40, 1);
    const net = smallNet();
    const replay = new FactorReplay(net, data, shardRanges(8, 2));
    const optimizer = createOptimizer(momentum, net.params.length);
    const before = net.params.slice();
    const restSum = new Float32Array(replay.restLength);
    expect(() => replay.apply(optimizer, new Int32Array(7), restSum, net.statsSum)).toThrow(
      /takes 8 indices and a factor of \d+ values, got 7 and \d+/,
    );
    expect(() => replay.apply(optimizer, new Int32Array(8), new Float32Array(3), net.statsSum)).toThrow(
      FactorReplayError,
    );
    expect(() => replay.apply(optimizer, new Int32Array(8).fill(40), restSum, net.statsSum)).toThrow(
      DataError,
    );
    expectBitwiseEqual(net.params, before);
  });
});
