import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { Backoff } from './backoff.js';
import { localData } from './local-data.js';
import { WorkerError, WorkerErrorCode } from './worker-error.js';
import { resolveWorkerOptions, type WorkerOptions } from './worker-options.js';
import { type WorkerRunState, WorkerSession } from './worker-session.js';

export interface WorkerSummary {
  /** The id the coordinator gave this worker last. */
  readonly workerId: number;
  /** Micro-shards and evaluation ranges computed. */
  readonly shards: number;
  readonly evals: number;
  /** Why it stopped: the coordinator's bye reason, or 'aborted'. */
  readonly reason: string;
}

function zeroMask(mask: Buffer): void {
  mask.fill(0);
}

/**
 * Joins a coordinator and computes its tasks until the run ends: dials with exponential backoff, handshakes,
 * fetches the data set if it has none, adopts every parameter broadcast, reconnects after a lost connection,
 * and resolves after the coordinator's `bye` (or when `signal` aborts). Rejects on a refusal, with its code.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const opts = resolveWorkerOptions(options);
  const state: WorkerRunState = { data: localData(opts, opts.logger), shards: 0, evals: 0, workerId: -1 };
  const backoff = new Backoff(opts.backoffMs, opts.maxBackoffMs, opts.jitterSeed);
  const summary = (reason: string): WorkerSummary => ({
    workerId: state.workerId,
    shards: state.shards,
    evals: state.evals,
    reason,
  });
  for (;;) {
    if (opts.signal?.aborted) return summary('aborted');
    let socket: WebSocket;
    try {
      socket = await dial(opts.url, opts.ca, opts.maxFrameBytes, opts.signal);
    } catch (err) {
      if (opts.signal?.aborted) return summary('aborted');
      if (isCertificateError(err)) {
        throw new WorkerError(
          WorkerErrorCode.connect,
          `the TLS certificate of ${opts.url} is not trusted (${(err as Error).message}); pass the CA that signed it with --tls-ca FILE`,
          { cause: err },
        );
      }
      if (backoff.attempts >= opts.retries) {
        throw new WorkerError(
          WorkerErrorCode.connect,
          `could not reach ${opts.url} after ${backoff.attempts + 1} attempts: ${(err as Error).message}; is the coordinator running?`,
          { cause: err },
        );
      }
      const wait = backoff.next();
      opts.logger.info(`cannot reach ${opts.url} (${(err as Error).message}); retrying in ${wait} ms`);
      await sleep(wait, undefined, { ref: true, signal: opts.signal }).catch(() => {});
      continue;
    }
    const session = new WorkerSession(socket, opts, state);
    const onAbort = () => session.leave('stopped');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const end = await session.done;
    opts.signal?.removeEventListener('abort', onAbort);
    if (end.type === 'finished') return summary(end.reason);
    if (end.type === 'failed') throw end.error;
    if (end.welcomed) backoff.reset();
    opts.logger.warn(`${end.reason}; reconnecting`);
    if (backoff.attempts >= opts.retries) {
      throw new WorkerError(
        WorkerErrorCode.connect,
        `lost ${opts.url} and could not rejoin after ${opts.retries} attempts`,
      );
    }
    await sleep(backoff.next(), undefined, { signal: opts.signal }).catch(() => {});
  }
}

/** A certificate that does not verify will not verify on the next attempt either: no point retrying. */
function isCertificateError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/.test(code)
  );
}

function dial(
  url: string,
  ca: string | Buffer | undefined,
  maxPayload: number,
  signal?: AbortSignal,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      maxPayload,
      perMessageDeflate: false,
      // An all-zero mask lets ws send each gradient frame as is instead of copying it to mask it. Masking guards
      // intermediaries against payloads a hostile page chose; a worker only sends what it computed itself.
      generateMask: zeroMask,
      ...(ca !== undefined ? { ca } : {}),
    });
    const fail = (err: Error) => {
      cleanup();
      socket.terminate();
      reject(err);
    };
    const abort = () => fail(new Error('aborted'));
    const open = () => {
      cleanup();
      resolve(socket);
    };
    const cleanup = () => {
      socket.off('open', open);
      socket.off('error', fail);
      signal?.removeEventListener('abort', abort);
    };
    socket.once('open', open);
    socket.once('error', fail);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
