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

/** The thread's part of an update: its sums added to the caller's, divided, and applied (see beginUpdate). */
function update(backend: WasmBackend, net: Net): void {
  const first = Atomics.load(control, Slot.updateFirst);
  const n = Atomics.load(control, Slot.updateEnd) - first;
  const sum = backend.float32At((Atomics.load(control, Slot.sumOffset) >>> 0) + 4 * first, n);
  const mean = backend.float32At((Atomics.load(control, Slot.meanOffset) >>> 0) + 4 * first, n);
  const own = backend.float32At((Atomics.load(control, Slot.grads) >>> 0) + 4 * first, n);
  backend.axpy(n, 1, own, sum);
  const params = net.params.subarray(first, first + n);
  backend.divideAxpy(n, sum, data.sums[Sum.divisor], data.sums[Sum.a], mean, params);
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
