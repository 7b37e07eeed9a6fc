import type { Dataset } from '../data/dataset.js';
import type { WasmModule } from '../tensor/wasm/webassembly-api.js';
import type { SharedPixelList, WasmArena } from '../tensor/wasm-backend.js';
import type { ModelConfig } from './config.js';

/** What the main side shares with the thread; structured-cloned, all memory in it shared. */
export interface NodeThreadData {
  /** The caller's compiled kernels (already optimised where the caller ran them). */
  readonly kernels: WasmModule;
  readonly model: ModelConfig;
  readonly seed: number;
  readonly batch: number;
  readonly shards: number;
  readonly train: Dataset;
  /** Where the thread's backend allocates: a block of the caller's memory. */
  readonly arena: WasmArena;
  /** The caller's parameters, in the same memory. */
  readonly paramsOffset: number;
  readonly paramCount: number;
  /** The caller's list of the training rows, in the same memory. */
  readonly pixelIndex: SharedPixelList | null;
  readonly statsOut: Float32Array;
  readonly control: Int32Array;
  readonly indices: Int32Array;
  readonly sums: Float64Array;
  readonly message: Uint8Array;
}

/** Slots of `control`. */
export const Slot = {
  command: 0,
  done: 1,
  state: 2,
  step: 3,
  first: 4,
  end: 5,
  rows: 6,
  messageLength: 7,
  /** The byte offset of the last node's gradient sums in the caller's memory (the thread's buffers). */
  grads: 8,
  /** What a command asks: a node, or its part of an update (Work). */
  work: 9,
  /** An update's parameter range, and where the caller's sums and the mean lie. */
  updateFirst: 10,
  updateEnd: 11,
  sumOffset: 12,
  meanOffset: 13,
} as const;
export const Work = { node: 0, update: 1 } as const;
/** Slots of `sums` (float64): a node's loss sum and correct count, an update's divisor and a. */
export const Sum = { lossSum: 0, correct: 1, divisor: 2, a: 3 } as const;
export const State = { starting: 0, ready: 1, failed: 2 } as const;
export const STOP = -1;
export const CONTROL_SLOTS = Object.keys(Slot).length;
export const MESSAGE_BYTES = 4096;

// Spinning before sleeping: a step's handoffs are tens of µs apart, and a futex wake costs about as much.
export const SPINS = 1 << 16;

/** Nodes a thread computes on start, for the optimiser (see node-thread-entry.ts). */
export const WARM_UP_NODES = 1000;
