import type { Result, Task, Update } from './messages.js';
import { bytesToFloat32, bytesToInt32 } from './typed-arrays.js';

// The messages of every step (task, update, result) are checked here by hand before the schema sees them. A
// message that passes comes out as the schema would give it; anything else, valid or not, goes on to the
// schema, which decides and words the error. The schema's parse was most of the time it took to read a result:
// about 30 µs in the coordinator, on the step's critical path.

type Fields = Record<string, unknown>;

/** Keys the encoder adds and every schema drops. */
const PAD = 'pad';

/** The message `value` (a decoded frame's map) is, when it is a well-formed task, update or result; else null. */
export function parseHot(value: Fields): Task | Update | Result | null {
  switch (value.kind) {
    case 'task':
      return task(value);
    case 'update':
      return update(value);
    case 'result':
      return result(value);
    default:
      return null;
  }
}

function task(v: Fields): Task | null {
  const { step, shard, end } = v;
  const indices = int32s(v.indices);
  const next = optional(v, 'next', int32s);
  if (!onlyKeys(v, TASK_KEYS) || !isCount(step) || !isCount(shard) || !isCount(end)) return null;
  if (indices === null || next === null) return null;
  return { kind: 'task', step, shard, end, indices, ...(next !== undefined ? { next } : {}) };
}

function update(v: Fields): Update | null {
  const { step } = v;
  const indices = int32s(v.indices);
  const factor = float32s(v.factor);
  const grad = float32s(v.grad);
  const stats = float32s(v.stats);
  if (!onlyKeys(v, UPDATE_KEYS) || !isCount(step)) return null;
  if (indices === null || factor === null || grad === null || stats === null) return null;
  return { kind: 'update', step, indices, factor, grad, stats };
}

function result(v: Fields): Result | null {
  const { step, shard, end, version, lossSum, correct, rows, computeMs } = v;
  const grad = float32s(v.grad);
  const stats = float32s(v.stats);
  const factor = optional(v, 'factor', float32s);
  // A 16-bit wire's `half` is not among the keys: the schema reads those rare results.
  if (!onlyKeys(v, RESULT_KEYS) || !isCount(step) || !isCount(shard) || !isCount(end)) return null;
  if (!isUint32(version) || !isCount(correct) || !isCount(rows) || !isFiniteNumber(lossSum)) return null;
  if (!isFiniteNumber(computeMs) || computeMs < 0 || grad === null || stats === null || factor === null)
    return null;
  const message: Result = {
    kind: 'result',
    step,
    shard,
    end,
    version,
    grad,
    stats,
    lossSum,
    correct,
    rows,
    computeMs,
  };
  return factor === undefined ? message : { ...message, factor };
}

/** An optional field: undefined when absent, null when present but not of its type (or set to undefined). */
function optional<T>(v: Fields, key: string, parse: (value: unknown) => T | null): T | null | undefined {
  if (!(key in v)) return undefined;
  return v[key] === undefined ? null : parse(v[key]);
}

const TASK_KEYS = new Set(['kind', 'step', 'shard', 'end', 'indices', 'next', PAD]);
const UPDATE_KEYS = new Set(['kind', 'step', 'indices', 'factor', 'grad', 'stats', PAD]);
const RESULT_KEYS = new Set([
  'kind',
  'step',
  'shard',
  'end',
  'version',
  'grad',
  'stats',
  'lossSum',
  'correct',
  'rows',
  'computeMs',
  'factor',
  PAD,
]);

function onlyKeys(v: Fields, keys: ReadonlySet<string>): boolean {
  for (const key in v) if (!keys.has(key)) return false;
  return true;
}

/** An integer in [0, 2^53), as the schema's counts and step numbers. */
function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isUint32(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 0xffffffff;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** As the schema's float32s: a typed array as is, or the frame's bytes (a multiple of 4) as one. */
function float32s(v: unknown): Float32Array | null {
  if (v instanceof Uint8Array) return v.byteLength % 4 === 0 ? bytesToFloat32(v) : null;
  return v instanceof Float32Array ? v : null;
}

function int32s(v: unknown): Int32Array | null {
  if (v instanceof Uint8Array) return v.byteLength % 4 === 0 ? bytesToInt32(v) : null;
  return v instanceof Int32Array ? v : null;
}
