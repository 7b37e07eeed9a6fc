import { z } from 'zod';
import { RefusalCodes } from './codes.js';
import { trainConfigSchema } from './config-schema.js';
import { count, finite, float32s, int32s, rawBytes, shortText, stepNumber, uint32 } from './fields.js';
import { GRAD_WIRES } from './half-floats.js';

const backend = z.enum(['js', 'wasm']);
const split = z.enum(['train', 'test']);

/** An optimizer's state (core's OptimizerState): what a worker that applies steps itself must start from. */
const optimizerState = z.object({
  scalars: z.record(z.string().max(64), finite).refine((r) => Object.keys(r).length <= 16, {
    message: 'at most 16 optimizer scalars',
  }),
  buffers: z.record(z.string().max(64), float32s).refine((r) => Object.keys(r).length <= 16, {
    message: 'at most 16 optimizer buffers',
  }),
});

/** worker → coordinator, first message. `fingerprint` is 'none' when the worker asks for the data. */
export const helloSchema = z.object({
  kind: z.literal('hello'),
  protocol: z.number().int(),
  token: z.string().max(4096).optional(),
  backend,
  fingerprint: z.string().max(128),
  name: z.string().min(1).max(256),
});

/** coordinator → worker: admitted, with everything needed to compute step `step`. */
export const welcomeSchema = z.object({
  kind: z.literal('welcome'),
  workerId: count,
  config: trainConfigSchema,
  backend,
  step: stepNumber,
  version: uint32,
  fullHashEvery: z.number().int().positive(),
  params: float32s,
  stats: float32s,
  fingerprint: z.string().max(128),
  datasetOffered: z.boolean(),
  heartbeatMs: z.number().int().positive(),
  /** How results carry gradients: float32 (the default), or rounded to 16-bit floats to halve the bytes. */
  wire: z.enum(GRAD_WIRES).optional(),
  /**
   * Set when the first layer's weight gradient travels as its factor: results carry it in `factor`, and
   * steps arrive as `update`s that the worker applies itself, starting from `optimizer`.
   */
  factored: z.boolean().optional(),
  optimizer: optimizerState.optional(),
});

/** coordinator → worker: not admitted; the connection closes after it. */
export const refusedSchema = z.object({
  kind: z.literal('refused'),
  code: z.enum(RefusalCodes),
  message: shortText,
});

/** worker → coordinator: data loaded and net built; it may be given tasks now. */
export const readySchema = z.object({ kind: z.literal('ready') });

/**
 * coordinator → worker: compute the gradient sums of micro-shards [shard, end), a node of the step's pairwise
 * shard tree, with the params of `step`; `indices` are those shards' rows of the batch. (The result says
 * which parameters it used; a factored run sends tasks before the coordinator has hashed that step's.)
 * `next`, when the coordinator has drawn the next batch already: the rows the same node covers at the next
 * step, which the worker may gather and list while it waits for this step's update.
 */
export const taskSchema = z.object({
  kind: z.literal('task'),
  step: stepNumber,
  shard: count,
  end: count,
  indices: int32s,
  next: int32s.optional(),
});

/**
 * worker → coordinator: the sums of the node [shard, end) of micro-shards, added along the tree. `version` is
 * the worker's own hash of the params it used.
 */
export const resultSchema = z.object({
  kind: z.literal('result'),
  step: stepNumber,
  shard: count,
  end: count,
  version: uint32,
  grad: float32s,
  stats: float32s,
  lossSum: finite,
  correct: count,
  rows: count,
  computeMs: z.number().nonnegative(),
  /** With a 16-bit wire: the gradient as 16-bit floats (packHalf), and `grad` is empty. */
  half: z.object({ codec: z.enum(['f16', 'bf16']), bytes: rawBytes }).optional(),
  /**
   * In a factored run: the node's rows of the first layer's factor (rows × its width), and `grad` holds the
   * gradient past the first layer's weights only.
   */
  factor: float32s.optional(),
});

/** coordinator → worker: forward-only over rows [start, end) of a split, with the params of `step`. */
export const evalTaskSchema = z.object({
  kind: z.literal('evalTask'),
  id: count,
  step: stepNumber,
  version: uint32,
  split,
  start: count,
  end: count,
});

export const evalResultSchema = z.object({
  kind: z.literal('evalResult'),
  id: count,
  step: stepNumber,
  version: uint32,
  split,
  start: count,
  end: count,
  correct: count,
  lossSum: finite,
  rows: count,
  computeMs: z.number().nonnegative(),
});

/**
 * coordinator → worker: the parameters (and batch-norm stats) to use from step `step` on; in a factored run
 * also the optimizer state, as the worker applies the next steps itself.
 */
export const paramsSchema = z.object({
  kind: z.literal('params'),
  step: stepNumber,
  version: uint32,
  params: float32s,
  stats: float32s,
  optimizer: optimizerState.optional(),
});

/**
 * coordinator → worker in a factored run: step `step - 1` as summed over its batch, `indices`. The worker
 * forms the first layer's weight gradient from the batch's pixels and `factor` (batch × width), takes the rest
 * from `grad` and `stats`, and applies the step as the coordinator does, so its parameters become those of
 * `step` (core's FactorReplay).
 */
export const updateSchema = z.object({
  kind: z.literal('update'),
  step: stepNumber,
  indices: int32s,
  factor: float32s,
  grad: float32s,
  stats: float32s,
});

/** worker → coordinator: my parameters do not hash to the version I was told; send them whole again. */
export const resyncSchema = z.object({ kind: z.literal('resync'), step: stepNumber });

export const heartbeatSchema = z.object({ kind: z.literal('heartbeat'), at: z.number() });

/** Sent to a peer that sent something unacceptable; the receiver logs it. */
export const errorSchema = z.object({
  kind: z.literal('error'),
  code: z.string().max(64),
  message: shortText,
});

/** Either side, before closing on purpose. */
export const byeSchema = z.object({ kind: z.literal('bye'), reason: shortText });

export const datasetRequestSchema = z.object({ kind: z.literal('datasetRequest') });

/** One piece of core's packDataset bytes; the worker joins `count` of them and checks the fingerprint. */
export const datasetChunkSchema = z.object({
  kind: z.literal('dataset'),
  fingerprint: z.string().max(128),
  index: count,
  count: z.number().int().positive(),
  totalBytes: count,
  bytes: rawBytes,
});

/** Every message kind, tagged by `kind`. */
export const messageSchema = z.discriminatedUnion('kind', [
  helloSchema,
  welcomeSchema,
  refusedSchema,
  readySchema,
  taskSchema,
  resultSchema,
  evalTaskSchema,
  evalResultSchema,
  paramsSchema,
  updateSchema,
  resyncSchema,
  heartbeatSchema,
  errorSchema,
  byeSchema,
  datasetRequestSchema,
  datasetChunkSchema,
]);

export type Message = z.output<typeof messageSchema>;
export type MessageKind = Message['kind'];
export type MessageOf<K extends MessageKind> = Extract<Message, { kind: K }>;
export type Hello = MessageOf<'hello'>;
export type Welcome = MessageOf<'welcome'>;
export type Refused = MessageOf<'refused'>;
export type Ready = MessageOf<'ready'>;
export type Task = MessageOf<'task'>;
export type Result = MessageOf<'result'>;
export type EvalTask = MessageOf<'evalTask'>;
export type EvalResult = MessageOf<'evalResult'>;
export type Params = MessageOf<'params'>;
export type Update = MessageOf<'update'>;
export type Resync = MessageOf<'resync'>;
export type Heartbeat = MessageOf<'heartbeat'>;
export type ErrorMessage = MessageOf<'error'>;
export type Bye = MessageOf<'bye'>;
export type DatasetRequest = MessageOf<'datasetRequest'>;
export type DatasetChunk = MessageOf<'dataset'>;

/** Kinds a worker may send, and kinds a coordinator may send: each end refuses the other set. */
export const WORKER_KINDS = [
  'hello',
  'ready',
  'result',
  'evalResult',
  'resync',
  'heartbeat',
  'error',
  'bye',
  'datasetRequest',
] as const satisfies readonly MessageKind[];
export const COORDINATOR_KINDS = [
  'welcome',
  'refused',
  'task',
  'evalTask',
  'params',
  'update',
  'heartbeat',
  'error',
  'bye',
  'dataset',
] as const satisfies readonly MessageKind[];
export type WorkerMessage = MessageOf<(typeof WORKER_KINDS)[number]>;
export type CoordinatorMessage = MessageOf<(typeof COORDINATOR_KINDS)[number]>;
