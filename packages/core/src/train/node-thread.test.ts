import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../io/hash.js';
import { buildNet } from '../nets/build.js';
import { JsBackend } from '../tensor/js-backend.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { applyStep } from './apply.js';
import type { TrainConfig } from './config.js';
import { createLocalTrainer, type LocalTrainer, type StepReport } from './local-trainer.js';
import { NodeThread } from './node-thread.js';
import { ShardComputer } from './shard-computer.js';
import { shardRanges } from './shards.js';
import { imageRun, imageSet } from './test-fixtures.js';

const { model: mlp } = imageRun;
const config = imageRun;
const train = imageSet(300, mlp.inputSize, 0.2, 3);
const test = imageSet(100, mlp.inputSize, 0.2, 4);

const open: LocalTrainer[] = [];
afterEach(() => {
  for (const trainer of open.splice(0)) trainer.dispose();
});

function run(cfg: TrainConfig, threads: 1 | 2): { sha: string; reports: StepReport[]; nodes: number } {
  const reports: StepReport[] = [];
  const finish = vi.spyOn(NodeThread.prototype, 'finish');
  const trainer = createLocalTrainer(cfg, { train, test }, new WasmBackend(), {
    threads,
    onStep: (r) => reports.push(r),
  });
  open.push(trainer);
  trainer.run(cfg.iters);
  const nodes = finish.mock.calls.length;
  finish.mockRestore();
  const { params } = trainer.net;
  return {
    sha: sha256Hex(new Uint8Array(params.buffer, params.byteOffset, params.byteLength)),
    reports,
    nodes,
  };
}

describe('a step split over two threads', () => {
  it('gives bitwise the weights and losses of one thread (rows listed in one pass)', () => {
    const one = run(config, 1);
    const two = run(config, 2);
    expect(two.nodes).toBe(config.iters);
    expect(two.sha).toBe(one.sha);
    expect(two.reports).toEqual(one.reports);
  });

  it('gives bitwise the weights of one thread with dropout and batch norm (shard by shard, uneven halves)', () => {
    const cfg = { ...config, shards: 3, model: { ...mlp, dropout: 0.2, batchNorm: true } };
    const one = run(cfg, 1);
    const two = run(cfg, 2);
    expect(two.nodes).toBe(cfg.iters);
    expect(two.sha).toBe(one.sha);
    expect(two.reports.map((r) => r.loss)).toEqual(one.reports.map((r) => r.loss));
  });

  it('with plain SGD, updates half the parameters on each thread: the weights of summing and updating apart', () => {
    for (const model of [
      { ...mlp, weightDecay: 0 },
      { ...mlp, weightDecay: 0, dropout: 0.2 },
    ]) {
      const cfg: TrainConfig = { ...config, model, optimizer: { ...config.optimizer, name: 'sgd' } };
      const updates = vi.spyOn(NodeThread.prototype, 'beginUpdate');
      const two = run(cfg, 2);
      expect(updates.mock.calls.length).toBe(cfg.iters);
      updates.mockRestore();
      const apart = createLocalTrainer(cfg, { train, test }, new WasmBackend());
      open.push(apart);
      const rows = new Int32Array(cfg.batch);
      for (let step = 0; step < cfg.iters; step++) {
        apart.sampler.next(cfg.batch, rows);
        const sums = apart.computer.computeNode(step, 0, cfg.shards, rows);
        applyStep(apart.net, apart.optimizer, sums.grad, sums.stats, cfg.batch);
      }
      expect(two.sha).toBe(sha256Hex(apart.net.params));
    }
  });

  it('refuses a thread count other than 1 or 2, and two threads over a single shard', () => {
    const data = { train, test };
    expect(() => createLocalTrainer(config, data, new WasmBackend(), { threads: 3 as 2 })).toThrow(
      /threads must be 1 or 2, got 3/,
    );
    expect(() =>
      createLocalTrainer({ ...config, shards: 1 }, data, new WasmBackend(), { threads: 2 }),
    ).toThrow(/use at least 2 shards/);
  });

  it('refuses a backend whose memory cannot be shared, naming the wasm backend', () => {
    expect(() => createLocalTrainer(config, { train, test }, new JsBackend(), { threads: 2 })).toThrow(
      /needs the wasm backend/,
    );
  });
});

function secondThread(trainer: LocalTrainer, model = mlp): NodeThread {
  return new NodeThread({
    net: trainer.net,
    model,
    seed: config.seed,
    batch: config.batch,
    shards: config.shards,
    train,
  });
}

describe('a shard computer with a second thread', () => {
  it('gives the bits of one without it for every node of the tree, and computes single shards itself', () => {
    const cfg = { ...config, shards: 5 };
    const ranges = shardRanges(cfg.batch, cfg.shards);
    const plainNet = buildNet(mlp, new WasmBackend(), cfg.seed, cfg.batch);
    const splitNet = buildNet(mlp, new WasmBackend(), cfg.seed, cfg.batch);
    const plain = new ShardComputer(plainNet, train, cfg.seed, ranges);
    const thread = new NodeThread({ ...cfg, net: splitNet, model: mlp, train });
    const split = new ShardComputer(splitNet, train, cfg.seed, ranges, { secondThread: thread });
    const begin = vi.spyOn(thread, 'begin');
    const batch = Int32Array.from({ length: cfg.batch }, (_, i) => (11 * i + 5) % train.count);
    const nodes = [
      [0, 5],
      [0, 4],
      [4, 5],
      [0, 2],
      [2, 4],
      [3, 4],
    ];
    for (const [first, end] of nodes) {
      const rows = batch.subarray(ranges[first].start, ranges[end - 1].end);
      const a = plain.computeNode(7, first, end, rows);
      const b = split.computeNode(7, first, end, rows);
      expect([b.rows, b.lossSum, b.correct]).toEqual([a.rows, a.lossSum, a.correct]);
      expect(sha256Hex(b.grad)).toBe(sha256Hex(a.grad));
    }
    expect(begin).toHaveBeenCalledTimes(4);
    plain.dispose();
    split.dispose();
  });

  it('refuses a second thread for factored nodes, saying which exchange to use', () => {
    const net = buildNet(mlp, new WasmBackend(), config.seed, config.batch);
    const thread = new NodeThread({ ...config, net, model: mlp, train });
    expect(
      () =>
        new ShardComputer(net, train, config.seed, shardRanges(config.batch, config.shards), {
          factored: true,
          secondThread: thread,
        }),
    ).toThrow(/use it with the params exchange/);
  });
});

describe('NodeThread', () => {
  it('reports a node that fails in the thread, keeps refusing work, and disposes once', () => {
    const trainer = createLocalTrainer(config, { train, test }, new WasmBackend());
    open.push(trainer);
    const thread = secondThread(trainer);
    const rows = new Int32Array(14);
    rows[3] = train.count;
    thread.begin(0, 2, 4, rows);
    const message = /the second thread failed: Sample index 300 is outside the data set's 300 rows/;
    expect(() => thread.finish()).toThrow(message);
    expect(() => thread.begin(1, 2, 4, new Int32Array(14))).toThrow(message);
    thread.dispose();
    thread.dispose();
  });

  it('drops an abandoned node and computes the next one', () => {
    const trainer = createLocalTrainer(config, { train, test }, new WasmBackend());
    open.push(trainer);
    const thread = secondThread(trainer);
    const rows = Int32Array.from({ length: 14 }, (_, i) => 3 * i);
    thread.begin(
      0,
      2,
      4,
      rows.map((r) => r + 1),
    );
    thread.abandon();
    thread.begin(1, 2, 4, rows);
    const there = thread.finish();
    expect(there.lossSum).toBe(trainer.computer.computeNode(1, 2, 4, rows).lossSum);
    thread.dispose();
  });

  it("refuses to start on a model other than the caller net's, naming both sizes, on every later call", () => {
    const trainer = createLocalTrainer(config, { train, test }, new WasmBackend());
    open.push(trainer);
    const thread = secondThread(trainer, { ...mlp, hidden: [20, 11] });
    const message =
      /the second thread failed: sharedParams holds 1682 values, but this net has 1651 parameters: share a net of the same model/;
    expect(() => thread.begin(0, 2, 4, new Int32Array(14))).toThrow(message);
    expect(() => thread.begin(0, 2, 4, new Int32Array(14))).toThrow(message);
    thread.dispose();
  });

  it("selects its rows from the caller's list of the training set, not from the images", () => {
    const trainer = createLocalTrainer(config, { train, test }, new WasmBackend(), { indexPixels: false });
    open.push(trainer);
    const { backend } = trainer.net;
    // A list of the training set with every pixel dark: a thread that reads it sums no first-layer gradient.
    const dark = backend.createPixelList(train.count, mlp.inputSize, mlp.hidden[0]);
    backend.listPixels(dark, new Uint8Array(train.count * mlp.inputSize), train.count);
    const thread = new NodeThread({
      net: trainer.net,
      model: mlp,
      seed: config.seed,
      batch: config.batch,
      shards: config.shards,
      train,
      pixelIndex: { dataset: train, list: dark },
    });
    const rows = Int32Array.from({ length: 14 }, (_, i) => 5 * i + 2);
    thread.begin(0, 2, 4, rows);
    const firstWeights = mlp.inputSize * mlp.hidden[0];
    expect(
      thread
        .finish()
        .grad.subarray(0, firstWeights)
        .every((g) => g === 0),
    ).toBe(true);
    const here = trainer.computer.computeNode(0, 2, 4, rows);
    expect(here.grad.subarray(0, firstWeights).some((g) => g !== 0)).toBe(true);
    thread.dispose();
    backend.freePixelList(dark);
  });

  it('sums the node it was given: its rows and loss match the node computed in this thread', () => {
    const trainer = createLocalTrainer(config, { train, test }, new WasmBackend());
    open.push(trainer);
    const thread = secondThread(trainer);
    const rows = Int32Array.from({ length: 14 }, (_, i) => 7 * i + 1);
    thread.begin(5, 2, 4, rows);
    const there = thread.finish();
    const here = trainer.computer.computeNode(5, 2, 4, rows);
    expect(there.rows).toBe(14);
    expect(there.lossSum).toBe(here.lossSum);
    expect(there.correct).toBe(here.correct);
    expect(Buffer.from(there.grad.buffer, there.grad.byteOffset, there.grad.byteLength)).toEqual(
      Buffer.from(here.grad.buffer, here.grad.byteOffset, here.grad.byteLength),
    );
    expect(() => thread.finish()).toThrow(/finish called without begin/);
    thread.dispose();
  });
});
