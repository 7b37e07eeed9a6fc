import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../data/dataset.js';
import type { Net } from '../nets/net.js';
import { compiledKernels, type WasmArena, WasmBackend } from '../tensor/wasm-backend.js';
import type { ModelConfig } from './config.js';
import type { PixelIndex } from './listed-rows.js';
import {
  CONTROL_SLOTS,
  MESSAGE_BYTES,
  type NodeThreadData,
  Slot,
  SPINS,
  STOP,
  State,
  Sum,
  Work,
} from './node-thread-layout.js';
import type { ShardGradient, SumUpdate } from './shard-computer.js';

/** What a node thread builds its own net and shard computer from. */
export interface NodeThreadSpec {
  /** The caller's net, on the wasm backend: the thread computes in that backend's memory, with its parameters. */
  readonly net: Net;
  readonly model: ModelConfig;
  readonly seed: number;
  readonly batch: number;
  readonly shards: number;
  readonly train: Dataset;
  /** The caller's list of `train`'s rows, which the thread selects its rows from too. */
  readonly pixelIndex?: PixelIndex;
}

const START_TIMEOUT_MS = 60_000;
/** The thread's share of the caller's memory: its net's buffers, pixel lists and scratch (touched as used). */
const ARENA_BASE_BYTES = 16 << 20;
const ARENA_BYTES_PER_PARAM = 32;
const STEP_TIMEOUT_MS = 600_000;
/** Commands count up to here and wrap to 1: a negative count is STOP. */
const MAX_COMMAND = 0x7fffffff;

export class NodeThreadError extends Error {
  readonly code = 'ERR_NODE_THREAD';

  constructor(message: string) {
    super(message);
    this.name = 'NodeThreadError';
  }
}

/**
 * A second thread that computes a node of a step's shard tree while the caller computes another. The thread
 * holds its own net and shard computer in an arena of the caller's wasm memory: its net computes with the
 * caller's parameters where they are, and the caller reads the node's sums where the thread left them, so
 * nothing is copied between the two. A node's sums have the same bits wherever they are computed, so a step
 * split over threads gives the weights of one thread. Calls are synchronous: `begin` hands a node over,
 * `finish` waits for it.
 */
export class NodeThread {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly indices: Int32Array;
  private readonly sums: Float64Array;
  private readonly message: Uint8Array;
  private readonly statsOut: Float32Array;
  private readonly backend: WasmBackend;
  private readonly arena: WasmArena;
  private readonly paramCount: number;
  /** A view of the last node's gradient sums, in the caller's memory (the buffer may differ by node). */
  private grads: Float32Array | null = null;
  private command = 0;
  private running = false;
  private failure: NodeThreadError | null = null;
  private disposed = false;

  constructor(spec: NodeThreadSpec) {
    const { net } = spec;
    const { backend } = net;
    if (!(backend instanceof WasmBackend)) {
      throw new NodeThreadError(
        `a second thread needs the wasm backend (its memory is shared between threads); backend '${backend.name}' has none`,
      );
    }
    const entry = entryUrl();
    this.backend = backend;
    this.paramCount = net.params.length;
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    this.indices = new Int32Array(new SharedArrayBuffer(spec.batch * 4));
    this.sums = new Float64Array(new SharedArrayBuffer(4 * 8));
    this.message = new Uint8Array(new SharedArrayBuffer(MESSAGE_BYTES));
    this.statsOut = new Float32Array(new SharedArrayBuffer(net.stats.length * 4));
    this.arena = backend.lendArena(ARENA_BASE_BYTES + ARENA_BYTES_PER_PARAM * net.params.length);
    const data: NodeThreadData = {
      kernels: compiledKernels(),
      model: spec.model,
      seed: spec.seed,
      batch: spec.batch,
      shards: spec.shards,
      train: sharedDataset(spec.train),
      arena: this.arena,
      pixelIndex: spec.pixelIndex === undefined ? null : backend.sharePixelList(spec.pixelIndex.list),
      paramsOffset: net.params.byteOffset,
      paramCount: net.params.length,
      statsOut: this.statsOut,
      control: this.control,
      indices: this.indices,
      sums: this.sums,
      message: this.message,
    };
    this.worker = new Worker(entry, { workerData: data });
    // Seen only between calls (the calls block): a thread that died before saying so fails the next call.
    this.worker.on('error', (error) => {
      this.failure ??= new NodeThreadError(`the second thread failed: ${error.message}`);
    });
    // A trainer dropped without dispose() must not keep the process alive.
    this.worker.unref();
  }

  /**
   * Hands the thread node [first, end) of `step`'s shard tree, over the training rows `indices` (the node's
   * slice of the batch).
   */
  begin(step: number, first: number, end: number, indices: Int32Array): void {
    this.awaitReady();
    if (this.running) throw new NodeThreadError('begin called twice without finish');
    this.indices.set(indices);
    Atomics.store(this.control, Slot.step, step);
    Atomics.store(this.control, Slot.first, first);
    Atomics.store(this.control, Slot.end, end);
    Atomics.store(this.control, Slot.rows, indices.length);
    Atomics.store(this.control, Slot.work, Work.node);
    this.hand();
  }

  /**
   * Hands the thread parameters [first, end) of `update` from the last node's sums: it adds its sums to the
   * caller's `sum` (the other child's), divides them into update.mean and updates the parameters there.
   */
  beginUpdate(first: number, end: number, sum: Float32Array, update: SumUpdate): void {
    this.awaitReady();
    if (this.running) throw new NodeThreadError('beginUpdate called before the last call was finished');
    Atomics.store(this.control, Slot.updateFirst, first);
    Atomics.store(this.control, Slot.updateEnd, end);
    Atomics.store(this.control, Slot.sumOffset, sum.byteOffset);
    Atomics.store(this.control, Slot.meanOffset, update.mean.byteOffset);
    this.sums[Sum.divisor] = update.divisor;
    this.sums[Sum.a] = update.a;
    Atomics.store(this.control, Slot.work, Work.update);
    this.hand();
  }

  /** Waits for the update `beginUpdate` handed over. */
  finishUpdate(): void {
    if (!this.running) throw new NodeThreadError('finishUpdate called without beginUpdate');
    this.awaitDone();
    this.checkFailed();
  }

  private hand(): void {
    this.command = this.command === MAX_COMMAND ? 1 : this.command + 1;
    this.running = true;
    Atomics.store(this.control, Slot.command, this.command);
    Atomics.notify(this.control, Slot.command);
  }

  /** Waits for the node `begin` handed over: its sums, in the caller's memory until the next `begin`. */
  finish(): ShardGradient {
    if (!this.running) throw new NodeThreadError('finish called without begin');
    this.awaitDone();
    this.checkFailed();
    const offset = Atomics.load(this.control, Slot.grads) >>> 0;
    if (this.grads?.byteOffset !== offset) this.grads = this.backend.float32At(offset, this.paramCount);
    return {
      rows: Atomics.load(this.control, Slot.rows),
      lossSum: this.sums[Sum.lossSum],
      correct: this.sums[Sum.correct],
      grad: this.grads,
      stats: this.statsOut,
    };
  }

  /** Waits for the node `begin` handed over and drops it, failed or not (a failure is thrown by the next call). */
  abandon(): void {
    if (this.running) this.awaitDone();
  }

  /**
   * Stops the thread and gives its arena back once no node can still write there; the object is unusable
   * afterwards. A second call does nothing.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const inFlight = this.running;
    Atomics.store(this.control, Slot.command, STOP);
    Atomics.notify(this.control, Slot.command);
    void this.worker.terminate();
    if (!inFlight) this.backend.reclaimArena(this.arena);
  }

  /** Waits for the node handed over; a thread that takes too long is taken for dead. */
  private awaitDone(): void {
    if (!awaitValue(this.control, Slot.done, this.command, STEP_TIMEOUT_MS)) {
      this.failure ??= new NodeThreadError(
        `the second thread did not finish a node within ${STEP_TIMEOUT_MS / 1000} s; it may have crashed or run out of memory`,
      );
      throw this.failure;
    }
    this.running = false;
  }

  private awaitReady(): void {
    if (this.disposed) throw new NodeThreadError('the second thread was disposed');
    if (Atomics.load(this.control, Slot.state) === State.starting) {
      const outcome = Atomics.wait(this.control, Slot.state, State.starting, START_TIMEOUT_MS);
      if (outcome === 'timed-out') {
        this.failure ??= new NodeThreadError(
          `the second thread did not start within ${START_TIMEOUT_MS / 1000} s; it may have failed to load`,
        );
      }
    }
    this.checkFailed();
  }

  private checkFailed(): void {
    if (this.failure === null && Atomics.load(this.control, Slot.state) === State.failed) {
      const length = Atomics.load(this.control, Slot.messageLength);
      const text = new TextDecoder().decode(this.message.slice(0, length));
      this.failure = new NodeThreadError(`the second thread failed: ${text}`);
    }
    if (this.failure !== null) throw this.failure;
  }
}

/** Waits until control[slot] === value: spins first, then sleeps. False when timeoutMs passed first. */
function awaitValue(control: Int32Array, slot: number, value: number, timeoutMs: number): boolean {
  for (let i = 0; i < SPINS; i++) if (Atomics.load(control, slot) === value) return true;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(control, slot);
    if (seen === value) return true;
    if (Date.now() > deadline) return false;
    Atomics.wait(control, slot, seen, 1000);
  }
}

/** The training set over shared memory, copied there once unless it already is. */
function sharedDataset(train: Dataset): Dataset {
  return { ...train, images: sharedBytes(train.images), labels: sharedBytes(train.labels) };
}

// One shared copy per source array, for as long as the source lives: trainers made one after another over the
// same data (the bench's rounds) would otherwise copy the 47 MB of images each time.
const sharedCopies = new WeakMap<Uint8Array, Uint8Array>();

function sharedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  let shared = sharedCopies.get(bytes);
  if (shared === undefined) {
    shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    sharedCopies.set(bytes, shared);
  }
  return shared;
}

/**
 * The thread's module, next to this one when built. Run from source (tests), the package's build of it, which
 * must be newer than every source file: a thread running older code than its caller would be a silent mismatch.
 */
function entryUrl(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./node-thread-entry.js', import.meta.url);
  const built = new URL('../../dist/train/node-thread-entry.js', import.meta.url);
  const sources = fileURLToPath(new URL('../', import.meta.url));
  if (!existsSync(built) || newestSource(sources) > statSync(built).mtimeMs) {
    throw new NodeThreadError(
      `the second thread runs the built ${fileURLToPath(built)}, which is missing or older than src/: run 'pnpm --filter @descent/core build'`,
    );
  }
  return built;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}
