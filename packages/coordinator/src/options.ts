import type { BackendName, Checkpoint, DataSplits, TrainConfig } from '@descent/core';
import {
  DEFAULT_FULL_HASH_EVERY,
  DEFAULT_MAX_FRAME_BYTES,
  GRAD_WIRES,
  type GradWire,
  isBusyWaitBudget,
  MAX_BUSY_WAIT_MS,
} from '@descent/protocol';
import { CoordinatorError, CoordinatorErrorCode } from './coordinator-error.js';
import type { LinkModel } from './link-model.js';
import { type Logger, stderrLogger } from './logger.js';
import type { Observer } from './observer.js';

export interface CoordinatorOptions {
  /** The run. Same config, data and backend ⇒ the same final parameter bytes, whatever the workers. */
  readonly config: TrainConfig;
  readonly data: DataSplits;
  /** Kernel backend every worker must use (results are bitwise comparable only within one backend). Default 'js'. */
  readonly backend?: BackendName;
  /** Address to bind. Default '127.0.0.1'; any other address needs `token`. */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one (see `coordinator.port`). */
  readonly port?: number;
  /** Shared secret workers must present in `hello`. Never logged. */
  readonly token?: string;
  /** Ready workers to wait for before the first step. Default 1. */
  readonly minWorkers?: number;
  /** Most workers admitted at once; further ones are refused with DESCENT_ERR_RUN_FULL. Default 64. */
  readonly maxWorkers?: number;
  /** Workers run inside this process, without sockets (`descent train --workers 0` uses 1). Default 0. */
  readonly inProcessWorkers?: number;
  readonly observer?: Observer;
  /** Where checkpoints go (core's saveCheckpoint); none are written without it. */
  readonly checkpointDir?: string;
  /** Steps between checkpoints (and one at the end). Default 0: only at the end, when checkpointDir is set. */
  readonly checkpointEvery?: number;
  /** Start from this checkpoint: step, parameters, stats, optimizer and sampler state are restored. */
  readonly resume?: Checkpoint;
  /** Offer the packed data set to workers that have none. Default true. */
  readonly serveDataset?: boolean;
  /** Interval between heartbeats to each worker. Default 2000 ms. */
  readonly heartbeatMs?: number;
  /** A worker silent for this long is dropped and its shards go to others. Default 15000 ms. */
  readonly timeoutMs?: number;
  /** Deadline of one task before it is re-assigned to another worker. Default 30000 ms. */
  readonly taskTimeoutMs?: number;
  /** A step running longer than this logs which shards and workers it waits on. Default 5000 ms. */
  readonly slowStepMs?: number;
  /** Largest frame accepted from a worker. Default 64 MiB. */
  readonly maxFrameBytes?: number;
  /**
   * With every worker gone mid-run, how long to wait for one to (re)join before stopping cleanly with a
   * checkpoint (the run then fails with DESCENT_ERR_NO_WORKERS and can be resumed). Default 600000 ms.
   */
  readonly patienceMs?: number;
  /** Frames per second one worker may send on average; a flood beyond it is disconnected. Default 5000. */
  readonly messagesPerSecond?: number;
  /** Frames one worker may send at once before the average applies. Default 10000. */
  readonly messageBurst?: number;
  /** Connections still in their handshake at once; more are closed at once. Default 64. */
  readonly maxPendingConnections?: number;
  /** PEM certificate chain and private key: serve wss:// instead of ws://. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Steps between full (rather than sampled) parameter version hashes. Default 16. */
  readonly fullHashEvery?: number;
  /**
   * Rows per evaluation task. Default 5000: MNIST's 70,000 rows make 14 tasks, which the coordinator and one
   * socket worker share evenly (see ownShare).
   */
  readonly evalChunkRows?: number;
  /**
   * After each frame from a worker, poll for the next one this long instead of sleeping (protocol's
   * BusyPoller), which saves a wake-up per frame when the coordinator has a core to itself; polling stops for a
   * while when it does not get the core. Default 0 (never).
   */
  readonly busyWaitMs?: number;
  readonly logger?: Logger;
  /** Simulate a network (latency and bandwidth) on every worker connection, both directions. Default: none. */
  readonly link?: LinkModel;
  /** Extra workers each training micro-shard also goes to; the first result is used. Default 0. */
  readonly backupShards?: number;
  /** Gradients on the wire as float32, or 16-bit floats ('f16', 'bf16'). Default 'f32'. */
  readonly gradWire?: GradWire;
  /**
   * What crosses the network each step. 'params': whole gradients up, the new parameters down. 'factors': the
   * first layer's weight gradient travels as its factor (batch × its width) and every process applies the
   * step itself; it needs layers that treat rows independently and the f32 wire. 'auto' (the default):
   * factors where possible and fewer bytes, which is when the batch is smaller than the net's inputs (the
   * seed recipe: about a tenth). The weights are the same bits either way.
   */
  readonly exchange?: Exchange;
}

export const EXCHANGES = ['auto', 'factors', 'params'] as const;
export type Exchange = (typeof EXCHANGES)[number];

export type ResolvedOptions = Required<
  Omit<CoordinatorOptions, 'token' | 'checkpointDir' | 'resume' | 'observer' | 'tls' | 'link'>
> &
  Pick<CoordinatorOptions, 'token' | 'checkpointDir' | 'resume' | 'tls' | 'link'> & {
    readonly observer: Observer;
  };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Merges options over the documented defaults and rejects conflicting ones. */
export function resolveOptions(options: CoordinatorOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    backend: 'js',
    host: '127.0.0.1',
    port: 0,
    minWorkers: 1,
    maxWorkers: 64,
    inProcessWorkers: 0,
    checkpointEvery: 0,
    serveDataset: true,
    heartbeatMs: 2000,
    timeoutMs: 15_000,
    taskTimeoutMs: 30_000,
    slowStepMs: 5000,
    maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
    patienceMs: 600_000,
    messagesPerSecond: 5000,
    messageBurst: 10_000,
    maxPendingConnections: 64,
    fullHashEvery: DEFAULT_FULL_HASH_EVERY,
    evalChunkRows: 5000,
    busyWaitMs: 0,
    logger: stderrLogger,
    backupShards: 0,
    gradWire: 'f32',
    exchange: 'auto',
    ...stripUndefined(options),
    config: options.config,
    data: options.data,
    observer: options.observer ?? {},
  };
  const bad = (message: string) => new CoordinatorError(CoordinatorErrorCode.badOption, message);
  if (!LOOPBACK.has(resolved.host) && !resolved.token) {
    throw new CoordinatorError(
      CoordinatorErrorCode.tokenRequired,
      `binding ${resolved.host} exposes the coordinator beyond this machine; give a token ` +
        '(--token-file FILE or DESCENT_TOKEN) or bind 127.0.0.1',
    );
  }
  if (resolved.token !== undefined && resolved.token.length === 0) throw bad('token must not be empty');
  if (!GRAD_WIRES.includes(resolved.gradWire))
    throw bad(`gradWire must be one of ${GRAD_WIRES.join(', ')}, got ${resolved.gradWire}`);
  if (!EXCHANGES.includes(resolved.exchange))
    throw bad(`exchange must be one of ${EXCHANGES.join(', ')}, got ${resolved.exchange}`);
  for (const key of [
    'minWorkers',
    'maxWorkers',
    'inProcessWorkers',
    'checkpointEvery',
    'port',
    'backupShards',
  ] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 0)
      throw bad(`${key} must be an integer ≥ 0, got ${resolved[key]}`);
  }
  for (const key of [
    'heartbeatMs',
    'timeoutMs',
    'taskTimeoutMs',
    'slowStepMs',
    'maxFrameBytes',
    'fullHashEvery',
    'evalChunkRows',
    'patienceMs',
    'messagesPerSecond',
    'messageBurst',
    'maxPendingConnections',
  ] as const) {
    if (!(resolved[key] > 0)) throw bad(`${key} must be > 0, got ${resolved[key]}`);
  }
  if (!isBusyWaitBudget(resolved.busyWaitMs))
    throw bad(`busyWaitMs must lie in [0, ${MAX_BUSY_WAIT_MS}], got ${resolved.busyWaitMs}`);
  if (resolved.minWorkers < 1)
    throw bad(
      'minWorkers must be at least 1: a run needs a worker (use inProcessWorkers for none over the network)',
    );
  if (resolved.maxWorkers < resolved.minWorkers) {
    throw bad(`maxWorkers (${resolved.maxWorkers}) is below minWorkers (${resolved.minWorkers})`);
  }
  if (resolved.inProcessWorkers > resolved.maxWorkers) {
    throw bad(`inProcessWorkers (${resolved.inProcessWorkers}) exceeds maxWorkers (${resolved.maxWorkers})`);
  }
  if (resolved.checkpointEvery > 0 && resolved.checkpointDir === undefined) {
    throw bad('checkpointEvery needs checkpointDir');
  }
  if (resolved.tls && !(resolved.tls.cert && resolved.tls.key)) {
    throw bad('tls needs both cert and key (PEM)');
  }
  if (resolved.timeoutMs <= resolved.heartbeatMs) {
    throw bad(`timeoutMs (${resolved.timeoutMs}) must exceed heartbeatMs (${resolved.heartbeatMs})`);
  }
  return resolved;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
