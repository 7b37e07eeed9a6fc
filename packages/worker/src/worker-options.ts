import type { BackendName, DataSplits } from '@descent/core';
import { DEFAULT_MAX_FRAME_BYTES, isBusyWaitBudget, type Logger, MAX_BUSY_WAIT_MS } from '@descent/protocol';
import type { StragglerOptions } from './straggler.js';
import type { TraceRecorder } from './trace-recorder.js';
import { WorkerError, WorkerErrorCode } from './worker-error.js';

export type { Logger };

export interface WorkerOptions {
  /** ws:// or wss:// address of the coordinator. */
  readonly url: string;
  /** Shared secret, when the coordinator needs one. Never logged. */
  readonly token?: string;
  /** Shown in the coordinator's logs. Default: host name and process id. */
  readonly name?: string;
  /** Kernel backend; must match the coordinator's. Default 'js'. */
  readonly backend?: BackendName;
  /** The data set, already loaded (tests, embedding). */
  readonly data?: DataSplits;
  /** MNIST-format directory for core's loadMnist; default the bundled package. */
  readonly dataDir?: string;
  /** Data cache: read when it holds a data set, else filled from the coordinator. */
  readonly cacheDir?: string;
  /** CA certificate (PEM) for wss:// with a private CA. */
  readonly ca?: string | Buffer;
  /** Connection attempts before giving up (per disconnection). Default 20. */
  readonly retries?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. Defaults 100 and 5000 ms. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Seed of the backoff jitter. Default: the process id. */
  readonly jitterSeed?: number;
  /** Coordinator silent this long ⇒ the connection is dropped and dialled again. Default 15000 ms. */
  readonly timeoutMs?: number;
  readonly maxFrameBytes?: number;
  /** Stops the worker (it says bye and resolves). */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Play a slow worker on a fraction of steps (scaling experiments). */
  readonly straggler?: StragglerOptions;
  /** Records every task's phases for a Chrome trace. */
  readonly trace?: TraceRecorder;
  /**
   * After each frame from the coordinator, poll for the next one this long instead of sleeping (protocol's
   * BusyPoller), which saves a wake-up per frame when the worker has a core to itself; polling stops for a
   * while when it does not get the core. Default 0 (never).
   */
  readonly busyWaitMs?: number;
}

export type ResolvedWorkerOptions = Required<
  Omit<WorkerOptions, 'token' | 'data' | 'dataDir' | 'cacheDir' | 'ca' | 'signal' | 'straggler' | 'trace'>
> &
  Pick<WorkerOptions, 'token' | 'data' | 'dataDir' | 'cacheDir' | 'ca' | 'signal' | 'straggler' | 'trace'>;

/** The default logger: warnings and errors to stderr, nothing else. */
export const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (m) => console.error(`descent worker: ${m}`),
  error: (m) => console.error(`descent worker: ${m}`),
};

export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as WorkerOptions;
  const r: ResolvedWorkerOptions = {
    name: `${process.env.HOSTNAME ?? 'worker'}-${process.pid}`,
    backend: 'js',
    retries: 20,
    backoffMs: 100,
    maxBackoffMs: 5000,
    jitterSeed: process.pid,
    timeoutMs: 15_000,
    maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
    busyWaitMs: 0,
    logger: quietLogger,
    ...defined,
  };
  if (!/^wss?:\/\//.test(r.url)) {
    throw new WorkerError(WorkerErrorCode.badOption, `url must start with ws:// or wss://, got '${r.url}'`);
  }
  if (r.data && (r.dataDir !== undefined || r.cacheDir !== undefined)) {
    throw new WorkerError(WorkerErrorCode.badOption, 'give either data or dataDir/cacheDir, not both');
  }
  for (const key of ['backoffMs', 'maxBackoffMs', 'timeoutMs', 'maxFrameBytes'] as const) {
    if (!(r[key] > 0)) throw new WorkerError(WorkerErrorCode.badOption, `${key} must be > 0, got ${r[key]}`);
  }
  if (!Number.isSafeInteger(r.retries) || r.retries < 0) {
    throw new WorkerError(WorkerErrorCode.badOption, `retries must be an integer ≥ 0, got ${r.retries}`);
  }
  if (!isBusyWaitBudget(r.busyWaitMs)) {
    throw new WorkerError(
      WorkerErrorCode.badOption,
      `busyWaitMs must lie in [0, ${MAX_BUSY_WAIT_MS}], got ${r.busyWaitMs}`,
    );
  }
  return r;
}
