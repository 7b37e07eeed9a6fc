import { describe, expect, it, vi } from 'vitest';
import { createSampler, restoreSampler } from '../data/sampler.js';
import { sha256Hex } from '../io/hash.js';
import type { Net } from '../nets/net.js';
import { Momentum } from '../optim/momentum.js';
import { Sgd } from '../optim/sgd.js';
import { expectBitwiseEqual } from '../optim/test-close.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { StepAccumulator } from './accumulator.js';
import { applyStep } from './apply.js';
import type { TrainConfig } from './config.js';
import { createLocalTrainer, LocalTrainer, type StepReport } from './local-trainer.js';
import { ShardComputer } from './shard-computer.js';
import { treeNodes } from './shard-tree.js';
import { shardRanges } from './shards.js';
import { imageRun, imageSet, smallNet, syntheticDataset } from './test-fixtures.js';

const data = syntheticDataset(40, 1);
const test = syntheticDataset(30, 2);
const SEED = 21;
const B = 12;
const S = 4;
const STEPS = 3;
/** Every feature the step must carry: dropout (per-shard draws), batch norm (stats sums), weight decay. */
const FULL = { dropout: 0.2, batchNorm: true, weightDecay: 0.01 } as const;

function trainer(
  net: Net,
  overrides: Partial<ConstructorParameters<typeof LocalTrainer>[0]> = {},
): LocalTrainer {
  return new LocalTrainer({
    net,
    optimizer: new Momentum(net.params.length, { lr: 0.1 }),
    sampler: createSampler('epoch', data.count, SEED),
    train: data,
    batch: B,
    shards: S,
    seed: SEED,
    ...overrides,
  });
}

type Order = <T>(step: number, items: T[]) => T[];
const inOrder: Order = (_, items) => items;
const reversed: Order = (_, items) => [...items].reverse();
const shuffled: Order = (step, items) => {
  const order = [...items];
  const rng = Rng.derive(99, step);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
};

/**
 * The coordinator's loop written out: `workers` nets (each given the step's parameters, as a broadcast
 * would) compute the tree nodes covering a contiguous run of shards each, and results reach the accumulator
 * in `order`. A duplicate of every result (with garbage in it) is sent too, and must be refused.
 */
function distributedRun(order: Order, workers: number): Net {
  const main = smallNet(FULL);
  const optimizer = new Momentum(main.params.length, { lr: 0.1 });
  const sampler = createSampler('epoch', data.count, SEED);
  const ranges = shardRanges(B, S);
  const computers = Array.from(
    { length: workers },
    () => new ShardComputer(smallNet(FULL), data, SEED, ranges),
  );
  const accumulator = new StepAccumulator(main.params.length, main.stats.length, S);
  // Worker w holds shards [cuts[w], cuts[w + 1]): 1 worker all 4, 2 workers 2 + 2, 3 workers 1 + 2 + 1.
  const cuts = { 1: [0, 4], 2: [0, 2, 4], 3: [0, 1, 3, 4] }[workers]!;
  const jobs = cuts.slice(1).flatMap((end, w) => treeNodes(cuts[w], end, S).map((node) => ({ w, ...node })));
  const indices = new Int32Array(B);
  const garbage = new Float32Array(main.params.length).fill(1e6);
  for (let step = 0; step < STEPS; step++) {
    for (const computer of computers) {
      computer.net.params.set(main.params);
      computer.net.stats.set(main.stats);
    }
    sampler.next(B, indices);
    accumulator.reset();
    for (const { w, first, end } of order(step, jobs)) {
      const rows = indices.subarray(ranges[first].start, ranges[end - 1].end);
      const out = computers[w].computeNode(step, first, end, rows);
      expect(accumulator.accept(first, end, out.grad, out.stats, out.lossSum, out.correct, out.rows)).toBe(
        true,
      );
      expect(accumulator.accept(first, end, garbage, out.stats, 1e6, 0, out.rows)).toBe(false);
    }
    const sums = accumulator.result();
    applyStep(main, optimizer, sums.gradSum, sums.statsSum, B);
  }
  return main;
}

describe('the data-parallel step', () => {
  it('gives bitwise-identical weights for shards accepted in order, reversed or shuffled, on 1, 2 or 3 workers', () => {
    const reference = smallNet(FULL);
    trainer(reference).run(STEPS);
    for (const order of [inOrder, reversed, shuffled]) {
      for (const workers of [1, 2, 3]) {
        const net = distributedRun(order, workers);
        expectBitwiseEqual(net.params, reference.params);
        expectBitwiseEqual(net.stats, reference.stats);
      }
    }
  });

  it('equals the same steps done by hand: gather, per-shard gradient sums added along the tree, ÷B, SGD', () => {
    const lr = 0.1;
    const trained = smallNet({ dropout: 0.2, batchNorm: true });
    trainer(trained, { optimizer: new Sgd(trained.params.length, { lr }) }).run(STEPS);

    const net = smallNet({ dropout: 0.2, batchNorm: true });
    const sampler = createSampler('epoch', data.count, SEED);
    const indices = new Int32Array(B);
    for (let step = 0; step < STEPS; step++) {
      sampler.next(B, indices);
      const grads: Float32Array[] = [];
      const stats: Float32Array[] = [];
      // Shards of 12 rows / 4 = 3 rows each: rows [3s, 3s + 3).
      for (let shard = 0; shard < S; shard++) {
        const x = new Float32Array(3 * data.features);
        const labels = new Int32Array(3);
        for (let r = 0; r < 3; r++) {
          const row = indices[3 * shard + r];
          for (let j = 0; j < data.features; j++)
            x[r * data.features + j] = data.images[row * data.features + j] / 255;
          labels[r] = data.labels[row];
        }
        net.gradientSum(x, labels, 3, Rng.derive(SEED, step, shard));
        grads.push(net.grads.slice());
        stats.push(net.statsSum.slice());
      }
      // The tree over 4 shards: (0 + 1) + (2 + 3), each addition rounded to float32.
      const tree = ([a, b, c, d]: Float32Array[]) =>
        a.map((_, i) => Math.fround(Math.fround(a[i] + b[i]) + Math.fround(c[i] + d[i])));
      const gradSum = tree(grads);
      const statsSum = tree(stats);
      net.updateStats(statsSum, B);
      for (let i = 0; i < net.params.length; i++) {
        net.params[i] = Math.fround(net.params[i] - lr * Math.fround(gradSum[i] / B));
      }
    }
    expectBitwiseEqual(trained.params, net.params);
    expectBitwiseEqual(trained.stats, net.stats);
  });

  it('resumes from saved params, stats, optimizer and sampler state exactly where it stopped', () => {
    const straight = smallNet(FULL);
    trainer(straight).run(7);

    const first = smallNet(FULL);
    const before = trainer(first);
    before.run(4);
    const saved = {
      params: first.params.slice(),
      stats: first.stats.slice(),
      optimizer: before.optimizer.state(),
      sampler: JSON.parse(JSON.stringify(before.sampler.state())),
    };

    const resumedNet = smallNet({ ...FULL, seed: 999 });
    resumedNet.params.set(saved.params);
    resumedNet.stats.set(saved.stats);
    const optimizer = new Momentum(resumedNet.params.length, { lr: 0.1 });
    optimizer.loadState(saved.optimizer);
    const after = trainer(resumedNet, {
      optimizer,
      sampler: restoreSampler(saved.sampler, data.count),
      startStep: 4,
    });
    after.run(3);
    expect(after.step).toBe(7);
    expectBitwiseEqual(resumedNet.params, straight.params);
    expectBitwiseEqual(resumedNet.stats, straight.stats);
  });
});

describe('LocalTrainer', () => {
  it('reports every step with loss = lossSum / B + λ/2·Σ‖W‖², and learns the synthetic task', () => {
    const net = smallNet({ weightDecay: 0.001, maxRows: 40 });
    const reports: StepReport[] = [];
    const run = trainer(net, { onStep: (r) => reports.push(r), batch: 8, shards: 2 });
    const startAccuracy = run.evaluate().train.correct / data.count;
    run.run(400);
    expect(reports.map((r) => r.step)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    for (const r of reports) {
      expect(r.rows).toBe(8);
      expect(r.l2).toBeGreaterThan(0);
      expect(r.loss).toBe(r.lossSum / 8 + r.l2);
    }
    const mean = (rs: StepReport[]) => rs.reduce((sum, r) => sum + r.loss, 0) / rs.length;
    expect(mean(reports.slice(-10))).toBeLessThan(0.5 * mean(reports.slice(0, 10)));
    const accuracy = run.evaluate().train.correct / data.count;
    expect(accuracy).toBeGreaterThan(0.9);
    expect(accuracy).toBeGreaterThan(startAccuracy);
  });

  it('evaluates train and test sets after every evalEvery steps', () => {
    const seen: { steps: number; train: number; test: number | undefined }[] = [];
    const run = trainer(smallNet({ maxRows: 16 }), {
      test,
      evalEvery: 3,
      onEval: (r) => seen.push({ steps: r.steps, train: r.train.rows, test: r.test?.rows }),
    });
    run.run(7);
    expect(seen).toEqual([
      { steps: 3, train: 40, test: 30 },
      { steps: 6, train: 40, test: 30 },
    ]);
  });

  it('refuses a batch larger than the net takes and a sampler over another data set', () => {
    expect(() => trainer(smallNet({ maxRows: 11 }))).toThrow(
      expect.objectContaining({ code: 'ERR_LOCAL_TRAINER' }),
    );
    expect(() => trainer(smallNet(), { sampler: createSampler('epoch', 41, 1) })).toThrow(
      expect.objectContaining({ code: 'ERR_LOCAL_TRAINER' }),
    );
    expect(() => trainer(smallNet(), { shards: 13 })).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_COUNT' }),
    );
  });
});

describe('createLocalTrainer', () => {
  const config: TrainConfig = {
    model: {
      kind: 'mlp',
      inputSize: 12,
      hidden: [10],
      outputSize: 3,
      activation: 'relu',
      init: 'he',
      initStd: 0.01,
      weightDecay: 0,
      dropout: 0.1,
      batchNorm: false,
    },
    optimizer: {
      name: 'adam',
      lr: 0.01,
      momentum: 0.9,
      decayRate: 0.99,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-7,
    },
    batch: 10,
    iters: 5,
    shards: 3,
    sampler: 'replacement',
    seed: 4,
    evalEvery: 5,
  };

  it('builds a run from a config that repeats bit for bit', () => {
    const evals: number[] = [];
    const a = createLocalTrainer(config, { train: data, test }, new JsBackend(), {
      onEval: (r) => evals.push(r.steps),
      evalChunkRows: 16,
    });
    a.run(config.iters);
    const b = createLocalTrainer(config, { train: data, test }, new JsBackend());
    b.run(config.iters);
    expect(evals).toEqual([5]);
    expect(a.optimizer.name).toBe('adam');
    expect(a.sampler.kind).toBe('replacement');
    expectBitwiseEqual(a.net.params, b.net.params);
  });
});

describe('createLocalTrainer with the wasm backend', () => {
  it('selects each batch from a list of the training set made once, with the weights of listing every step', () => {
    const images = imageSet(200, imageRun.model.inputSize, 0.2, 5);
    const config = imageRun;
    const select = vi.spyOn(WasmBackend.prototype, 'selectRows');
    const weights = (indexPixels: boolean) => {
      select.mockClear();
      const run = createLocalTrainer(config, { train: images, test: images }, new WasmBackend(), {
        indexPixels,
      });
      run.run(config.iters);
      const sha = sha256Hex(run.net.params);
      run.dispose();
      return { sha, selections: select.mock.calls.length };
    };
    const indexed = weights(true);
    const listed = weights(false);
    select.mockRestore();
    expect(indexed.selections).toBe(config.iters);
    expect(listed.selections).toBe(0);
    expect(indexed.sha).toBe(listed.sha);
  });

  it('evaluates the training set from its list, with the counts of listing it again', () => {
    const train = imageSet(200, imageRun.model.inputSize, 0.2, 5);
    const test = imageSet(50, imageRun.model.inputSize, 0.2, 6);
    const select = vi.spyOn(WasmBackend.prototype, 'selectRows');
    const evaluated = (indexPixels: boolean) => {
      const run = createLocalTrainer(imageRun, { train, test }, new WasmBackend(), { indexPixels });
      run.run(3);
      select.mockClear();
      const report = run.evaluate();
      const selections = select.mock.calls.length;
      run.dispose();
      return { report, selections };
    };
    const indexed = evaluated(true);
    const listed = evaluated(false);
    select.mockRestore();
    expect(indexed.selections).toBeGreaterThan(0);
    expect(listed.selections).toBe(0);
    expect(indexed.report).toEqual(listed.report);
  });

  it('gives the list of the training set back when the trainer cannot be made', () => {
    const free = vi.spyOn(WasmBackend.prototype, 'freePixelList');
    const narrow = syntheticDataset(50, 3);
    expect(() => createLocalTrainer(imageRun, { train: narrow, test: narrow }, new WasmBackend())).toThrow(
      /the training data has 12 features and 3 classes, but the net takes 64 inputs/,
    );
    expect(free).toHaveBeenCalledTimes(1);
    free.mockRestore();
  });
});
