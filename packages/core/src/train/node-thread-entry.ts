// The second thread of a NodeThread (node-thread.ts): builds its own net, then computes one node per command.
import { workerData } from 'node:worker_threads';
import { buildNet } from '../nets/build.js';
import type { Net } from '../nets/net.js';
import { pairwiseSplit } from '../tensor/pairwise.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import type { PixelIndex } from './listed-rows.js';
import {
  MESSAGE_BYTES,
  type NodeThreadData,
  Slot,
  SPINS,
  STOP,
  State,
  Sum,
  WARM_UP_NODES,
  Work,
} from './node-thread-layout.js';
import { ShardComputer } from './shard-computer.js';
import { shardRanges } from './shards.js';

const data = workerData as NodeThreadData;
const { control } = data;

function fail(error: unknown): void {
  const text = error instanceof Error ? error.message : String(error);
  const bytes = new TextEncoder().encode(text).subarray(0, MESSAGE_BYTES);
  data.message.set(bytes);
  Atomics.store(control, Slot.messageLength, bytes.length);
  Atomics.store(control, Slot.state, State.failed);
  Atomics.notify(control, Slot.state);
}

/** The next command after `last`: spins first (the next step comes within µs), then sleeps. */
function nextCommand(last: number): number {
  for (let i = 0; i < SPINS; i++) {
    const command = Atomics.load(control, Slot.command);
    if (command !== last) return command;
  }
  for (;;) {
    const command = Atomics.load(control, Slot.command);
    if (command !== last) return command;
    Atomics.wait(control, Slot.command, last);
  }
}

/** Where an update's buffers lie, and views of the thread's part of them; the same step after step. */
interface UpdateViews {
  readonly first: number;
  readonly end: number;
  readonly sumOffset: number;
  readonly ownOffset: number;
  readonly meanOffset: number;
  readonly sum: Float32Array;
  readonly own: Float32Array;
  readonly mean: Float32Array;
  readonly params: Float32Array;
}
let views: UpdateViews | null = null;

/** The thread's part of an update: its sums added to the caller's, divided, and applied (see beginUpdate). */
function update(backend: WasmBackend, net: Net): void {
  const first = Atomics.load(control, Slot.updateFirst);
  const end = Atomics.load(control, Slot.updateEnd);
  const sumOffset = Atomics.load(control, Slot.sumOffset) >>> 0;
  const ownOffset = Atomics.load(control, Slot.grads) >>> 0;
  const meanOffset = Atomics.load(control, Slot.meanOffset) >>> 0;
  let v = views;
  if (
    v === null ||
    v.first !== first ||
    v.end !== end ||
    v.sumOffset !== sumOffset ||
    v.ownOffset !== ownOffset ||
    v.meanOffset !== meanOffset
  ) {
    const at = (offset: number) => backend.float32At(offset + 4 * first, end - first);
    const params = at(net.params.byteOffset);
    v = {
      first,
      end,
      sumOffset,
      ownOffset,
      meanOffset,
      sum: at(sumOffset),
      own: at(ownOffset),
      mean: at(meanOffset),
      params,
    };
    views = v;
  }
  backend.axpy(v.sum.length, 1, v.own, v.sum);
  backend.divideAxpy(v.sum.length, v.sum, data.sums[Sum.divisor], data.sums[Sum.a], v.mean, v.params);
}

function serve(computer: ShardComputer, backend: WasmBackend): void {
  const { net } = computer;
  let last = 0;
  for (;;) {
    const command = nextCommand(last);
    if (command === STOP) return;
    last = command;
    try {
      if (Atomics.load(control, Slot.work) === Work.update) update(backend, net);
      else compute(computer);
    } catch (error) {
      fail(error);
    }
    Atomics.store(control, Slot.done, command);
    Atomics.notify(control, Slot.done);
  }
}

/** The node a command hands over, its sums left where the caller reads them. */
function compute(computer: ShardComputer): void {
  const rows = Atomics.load(control, Slot.rows);
  const out = computer.computeNode(
    Atomics.load(control, Slot.step),
    Atomics.load(control, Slot.first),
    Atomics.load(control, Slot.end),
    data.indices.subarray(0, rows),
  );
  Atomics.store(control, Slot.grads, out.grad.byteOffset);
  data.statsOut.set(out.stats);
  data.sums[Sum.lossSum] = out.lossSum;
  data.sums[Sum.correct] = out.correct;
}

/**
 * Runs the node's code until the optimiser has compiled it: a fresh thread's code is slow for its first
 * thousand or so nodes, and while both threads keep both cores busy the compiler gets little time. One row
 * per shard keeps this to about a tenth of a second.
 */
function warmUp(net: Net, pixelIndex: PixelIndex | null): void {
  const { shards } = data;
  const computer = new ShardComputer(net, data.train, data.seed, shardRanges(shards, shards), { pixelIndex });
  // The root's second child: the node a step split in two hands over.
  const first = shards > 1 ? pairwiseSplit(shards) : 0;
  const indices = Int32Array.from({ length: shards - first }, (_, i) => i % data.train.count);
  for (let i = 0; i < WARM_UP_NODES; i++) computer.computeNode(i, first, shards, indices);
  computer.dispose();
}

let computer: ShardComputer | null = null;
let backend: WasmBackend | null = null;
try {
  backend = new WasmBackend({ module: data.kernels, arena: data.arena });
  const sharedParams = backend.float32At(data.paramsOffset, data.paramCount);
  // Refuses another model's parameter count itself.
  const net = buildNet(data.model, backend, data.seed, data.batch, { sharedParams });
  if (net.stats.length !== data.statsOut.length) {
    throw new Error(
      `its net has ${net.stats.length} statistics, the caller's ${data.statsOut.length}: give it the caller's model`,
    );
  }
  const pixelIndex =
    data.pixelIndex === null ? null : { dataset: data.train, list: backend.adoptPixelList(data.pixelIndex) };
  warmUp(net, pixelIndex);
  computer = new ShardComputer(net, data.train, data.seed, shardRanges(data.batch, data.shards), {
    pixelIndex,
  });
  Atomics.store(control, Slot.state, State.ready);
  Atomics.notify(control, Slot.state);
} catch (error) {
  fail(error);
}
if (computer !== null && backend !== null) serve(computer, backend);
