import { type DataSplits, unpackDataset, writeDatasetCache } from '@descent/core';
import {
  BusyPoller,
  COORDINATOR_KINDS,
  type CoordinatorMessage,
  DATASET_CHUNK_BYTES,
  type DatasetChunk,
  decode,
  ErrorCode,
  type EvalTask,
  encode,
  PROTOCOL_VERSION,
  type Task,
  type Welcome,
  type WorkerMessage,
} from '@descent/protocol';
import WebSocket from 'ws';
import { ShardEngine } from './shard-engine.js';
import { Straggler } from './straggler.js';
import { TaskRunner } from './task-runner.js';
import { WorkerError, WorkerErrorCode } from './worker-error.js';
import type { ResolvedWorkerOptions } from './worker-options.js';

/** How one connection ended. */
export type SessionEnd =
  | { readonly type: 'finished'; readonly reason: string }
  | { readonly type: 'lost'; readonly reason: string; readonly welcomed: boolean }
  | { readonly type: 'failed'; readonly error: WorkerError };

/** Shared across reconnections: the data set and what was computed. */
export interface WorkerRunState {
  data: DataSplits | null;
  shards: number;
  evals: number;
  workerId: number;
}

/**
 * One connection to the coordinator: hello, welcome (or refused), an optional data set download, then tasks
 * until `bye`. Every frame is validated; anything malformed is answered with `error` and ignored.
 */
export class WorkerSession {
  private engine: ShardEngine | null = null;
  private runner: TaskRunner | null = null;
  private welcome: Welcome | null = null;
  private chunks: Uint8Array | null = null;
  private chunksIn = 0;
  private silence: NodeJS.Timeout | null = null;
  /** Set from asking for the parameters after a missed update until they come: one request is enough. */
  private resyncing = false;
  private ended = false;
  private readonly poller: BusyPoller;
  private resolveEnd!: (end: SessionEnd) => void;
  readonly done: Promise<SessionEnd>;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: ResolvedWorkerOptions,
    private readonly state: WorkerRunState,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveEnd = resolve;
    });
    this.poller = new BusyPoller(options.busyWaitMs);
    socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    socket.on('close', (code) =>
      this.end({ type: 'lost', reason: `connection closed (${code})`, welcomed: this.welcome !== null }),
    );
    socket.on('error', (err) => options.logger.warn(`connection error: ${err.message}`));
    this.touch();
    this.send({
      kind: 'hello',
      protocol: PROTOCOL_VERSION,
      ...(options.token !== undefined ? { token: options.token } : {}),
      backend: options.backend,
      fingerprint: state.data?.fingerprint ?? 'none',
      name: options.name,
    });
  }

  /** Says bye and closes (the worker is being stopped). */
  leave(reason: string): void {
    this.send({ kind: 'bye', reason });
    this.socket.close(1000);
    this.end({ type: 'finished', reason });
  }

  private send(message: WorkerMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(encode(message));
  }

  private touch(): void {
    if (this.silence) clearTimeout(this.silence);
    this.silence = setTimeout(() => {
      this.options.logger.warn(`coordinator silent for ${this.options.timeoutMs} ms; reconnecting`);
      this.socket.terminate();
    }, this.options.timeoutMs);
    this.silence.unref();
  }

  private end(end: SessionEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.poller.stop();
    if (this.silence) clearTimeout(this.silence);
    if (end.type !== 'lost' && this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    this.resolveEnd(end);
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    this.touch();
    this.poller.touch();
    const out = decode(isBinary ? data : 'text', {
      accept: COORDINATOR_KINDS,
      maxFrameBytes: this.options.maxFrameBytes,
    });
    if (!out.ok) {
      this.options.logger.warn(
        `refused a frame from the coordinator: ${out.error.code}: ${out.error.message}`,
      );
      this.send({ kind: 'error', code: out.error.code, message: out.error.message });
      return;
    }
    try {
      this.handle(out.message);
    } catch (err) {
      const message = (err as Error).message;
      this.options.logger.error(`could not handle '${out.message.kind}': ${message}`);
      this.send({ kind: 'error', code: ErrorCode.internal, message });
    }
  }

  private handle(message: CoordinatorMessage): void {
    switch (message.kind) {
      case 'welcome':
        this.onWelcome(message);
        return;
      case 'refused':
        this.end({
          type: 'failed',
          error: new WorkerError(message.code, `refused by the coordinator: ${message.message}`),
        });
        return;
      case 'dataset':
        this.onChunk(message);
        return;
      case 'params':
        if (!this.engine) return;
        this.resyncing = false;
        if (
          !this.engine.adopt(message.step, message.params, message.stats, message.version, message.optimizer)
        ) {
          this.send({ kind: 'resync', step: message.step });
        }
        return;
      case 'update':
        if (this.runner?.update(message) === 'behind' && !this.resyncing) {
          this.resyncing = true;
          this.send({ kind: 'resync', step: message.step });
        }
        return;
      case 'task':
        this.onTask(message);
        return;
      case 'evalTask':
        this.onEvalTask(message);
        return;
      case 'heartbeat':
        this.send({ kind: 'heartbeat', at: Date.now() });
        return;
      case 'error':
        this.options.logger.warn(`coordinator reports ${message.code}: ${message.message}`);
        return;
      case 'bye':
        this.options.logger.info(`coordinator said bye: ${message.reason}`);
        this.send({ kind: 'bye', reason: 'acknowledged' });
        this.end({ type: 'finished', reason: message.reason });
        return;
    }
  }

  private onWelcome(welcome: Welcome): void {
    if (this.welcome) {
      this.send({ kind: 'error', code: ErrorCode.unexpectedMessage, message: 'welcome received twice' });
      return;
    }
    this.welcome = welcome;
    this.state.workerId = welcome.workerId;
    const data = this.state.data;
    if (data && data.fingerprint !== welcome.fingerprint) {
      this.end({
        type: 'failed',
        error: new WorkerError(
          ErrorCode.fingerprintMismatch,
          `local data ${data.fingerprint} differs from the run's ${welcome.fingerprint}`,
        ),
      });
      return;
    }
    if (!data) {
      if (!welcome.datasetOffered) {
        this.end({
          type: 'failed',
          error: new WorkerError(
            WorkerErrorCode.noDataset,
            'no local data set and the coordinator offers none; pass --data DIR',
          ),
        });
        return;
      }
      this.options.logger.info('fetching the data set from the coordinator');
      this.send({ kind: 'datasetRequest' });
      return;
    }
    this.start(data);
  }

  private onChunk(chunk: DatasetChunk): void {
    const welcome = this.welcome;
    if (!welcome || this.state.data || chunk.fingerprint !== welcome.fingerprint) {
      this.send({
        kind: 'error',
        code: ErrorCode.unexpectedMessage,
        message: 'data set chunk not asked for',
      });
      return;
    }
    if (!this.chunks) this.chunks = new Uint8Array(chunk.totalBytes);
    const at = chunk.index * DATASET_CHUNK_BYTES;
    if (chunk.totalBytes !== this.chunks.length || at + chunk.bytes.length > this.chunks.length) {
      this.send({
        kind: 'error',
        code: ErrorCode.badDataset,
        message: `chunk ${chunk.index} does not fit the data set`,
      });
      return;
    }
    this.chunks.set(chunk.bytes, at);
    if (++this.chunksIn < chunk.count) return;
    let data: DataSplits;
    try {
      data = unpackDataset(this.chunks, welcome.fingerprint);
    } catch (err) {
      this.end({
        type: 'failed',
        error: new WorkerError(WorkerErrorCode.badDataset, (err as Error).message, { cause: err }),
      });
      return;
    }
    this.chunks = null;
    if (this.options.cacheDir !== undefined) {
      // The data is already here and verified: a cache that cannot be written costs the next start, not this run.
      try {
        writeDatasetCache(this.options.cacheDir, data);
      } catch (err) {
        this.options.logger.warn(
          `cannot cache the data set in ${this.options.cacheDir} (${(err as Error).message}); training on without a cache`,
        );
      }
    }
    this.state.data = data;
    this.start(data);
  }

  private start(data: DataSplits): void {
    const welcome = this.welcome!;
    this.engine = new ShardEngine({
      config: welcome.config,
      backend: welcome.backend,
      data,
      fullHashEvery: welcome.fullHashEvery,
      factored: welcome.factored === true,
    });
    if (!this.engine.adopt(welcome.step, welcome.params, welcome.stats, welcome.version, welcome.optimizer)) {
      this.send({ kind: 'resync', step: welcome.step });
    }
    const { straggler, trace } = this.options;
    this.runner = new TaskRunner({
      engine: this.engine,
      send: (frame, sent) => {
        if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame, sent);
        else sent();
      },
      computed: () => this.state.shards++,
      wire: welcome.wire ?? 'f32',
      ...(straggler ? { straggler: new Straggler(straggler, this.options.name) } : {}),
      ...(trace ? { trace } : {}),
    });
    this.send({ kind: 'ready' });
  }

  private onTask(task: Task): void {
    const engine = this.engine;
    const data = this.state.data;
    if (!engine || !data) {
      this.send({
        kind: 'error',
        code: ErrorCode.unexpectedMessage,
        message: 'task before the worker is ready',
      });
      return;
    }
    const rows = engine.nodeRows(task.shard, task.end);
    if (rows === null || rows !== task.indices.length) {
      this.send({
        kind: 'error',
        code: ErrorCode.badMessage,
        message:
          rows === null
            ? `task shards [${task.shard}, ${task.end}) are not a node of this run's shard tree`
            : `task shards [${task.shard}, ${task.end}) hold ${rows} rows, but ${task.indices.length} indices came`,
      });
      return;
    }
    if (task.next !== undefined && task.next.length !== task.indices.length) {
      this.send({
        kind: 'error',
        code: ErrorCode.badMessage,
        message: `task shards [${task.shard}, ${task.end}) name ${task.next.length} next rows for ${task.indices.length} rows`,
      });
      return;
    }
    const n = data.train.count;
    if (this.refusedOutside(task.indices, 'index', n)) return;
    if (task.next !== undefined && this.refusedOutside(task.next, 'next index', n)) return;
    this.runner?.push(task);
  }

  /** Refuses a task, with an error to the coordinator, when one of its `rows` is outside the n training rows. */
  private refusedOutside(rows: Int32Array, what: string, n: number): boolean {
    for (let i = 0; i < rows.length; i++) {
      const k = rows[i];
      if (k < 0 || k >= n) {
        this.send({
          kind: 'error',
          code: ErrorCode.badMessage,
          message: `task ${what} ${k} is outside the ${n} training rows`,
        });
        return true;
      }
    }
    return false;
  }

  private onEvalTask(task: EvalTask): void {
    const engine = this.engine;
    const data = this.state.data;
    if (!engine || !data) {
      this.send({
        kind: 'error',
        code: ErrorCode.unexpectedMessage,
        message: 'evaluation task before the worker is ready',
      });
      return;
    }
    const count = task.split === 'train' ? data.train.count : data.test.count;
    if (task.start > task.end || task.end > count) {
      this.send({
        kind: 'error',
        code: ErrorCode.badMessage,
        message: `rows ${task.start}-${task.end} are outside the ${count} ${task.split} rows`,
      });
      return;
    }
    this.send(engine.evaluate(task));
    this.state.evals++;
  }
}
