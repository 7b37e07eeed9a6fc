import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { packDataset, saveCheckpoint, sha256Hex, treeNodes } from '@descent/core';
import {
  BusyPoller,
  checkEvalResult,
  checkResult,
  DATASET_CHUNK_BYTES,
  decode,
  ErrorCode,
  type EvalResult,
  type EvalTask,
  encode,
  FramePool,
  type Params,
  type Result,
  type ResultSizes,
  type Task,
  type Update,
  type Welcome,
  type WorkerMessage,
} from '@descent/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import { CoordinatorError, CoordinatorErrorCode } from './coordinator-error.js';
import { evalRanges, ownShare } from './eval-plan.js';
import { GradDecoder } from './grad-wire.js';
import { checkHello } from './handshake.js';
import { InProcessLink } from './in-process-link.js';
import { LinkShaper } from './link-lane.js';
import type { CoordinatorEvent, EvalRecord } from './observer.js';
import { type CoordinatorOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { RunResult } from './run-result.js';
import { type Rejection, Scheduler } from './scheduler.js';
import { SocketLink } from './socket-link.js';
import { Series } from './timing-stats.js';
import { TrainingState } from './training-state.js';
import type { WorkerInfo } from './worker-info.js';
import type { LinkListener, WorkerLink } from './worker-link.js';

/**
 * Runs one data-parallel training run: admits workers over WebSocket (and in-process), and per step draws the
 * batch, hands each worker a contiguous run of micro-shards as nodes of the pairwise shard tree, adds the
 * node sums along that tree, applies the optimizer and broadcasts the new parameters once to every worker.
 *
 *   const c = await Coordinator.start({ config, data });
 *   // workers dial c.url
 *   const result = await c.run();
 *   await c.close();
 */
export class Coordinator implements LinkListener {
  private readonly opts: ResolvedOptions;
  private readonly state: TrainingState;
  private readonly scheduler: Scheduler;
  private readonly links = new Map<number, WorkerLink>();
  private readonly ready = new Set<WorkerLink>();
  private server: WebSocketServer | null = null;
  private https: HttpsServer | null = null;
  private pendingHandshakes = 0;
  private patienceTimer: NodeJS.Timeout | null = null;
  /** Set once --min-workers were ready and the first step began. */
  private started = false;
  /** Set when the run must stop (no workers within the patience); the run loop rethrows it. */
  private stopReason: CoordinatorError | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private nextId = 1;
  private running = false;
  private over = false;
  private isClosed = false;
  private packed: Uint8Array | null = null;
  /** Buffers for the parameter broadcast, reused once every worker's socket has sent it. */
  private readonly frames = new FramePool();
  private readyWaiters: (() => void)[] = [];
  private mostWorkers = 0;
  private lastEval: EvalRecord | null = null;
  private readonly shaper: LinkShaper | undefined;
  private readonly grads: GradDecoder;
  private readonly poller: BusyPoller;

  private constructor(options: CoordinatorOptions) {
    this.opts = resolveOptions(options);
    this.state = new TrainingState(
      this.opts.config,
      this.opts.backend,
      this.opts.data.train,
      this.opts.fullHashEvery,
      this.opts.exchange,
      this.opts.gradWire,
    );
    if (this.opts.resume) this.state.resume(this.opts.resume);
    this.scheduler = new Scheduler({
      taskTimeoutMs: this.opts.taskTimeoutMs,
      slowRoundMs: this.opts.slowStepMs,
      logger: this.opts.logger,
      emit: (e) => this.emit(e),
      resync: (link) => link.send(this.paramsMessage(link)),
      backups: this.opts.backupShards,
    });
    this.shaper = this.opts.link ? new LinkShaper(this.opts.link) : undefined;
    this.grads = new GradDecoder(this.opts.gradWire, this.state.net.params.length);
    this.poller = new BusyPoller(this.opts.busyWaitMs);
  }

  /** Validates the options, builds the run state and starts listening. */
  static async start(options: CoordinatorOptions): Promise<Coordinator> {
    const c = new Coordinator(options);
    await c.listen();
    for (let i = 0; i < c.opts.inProcessWorkers; i++) c.addInProcessWorker();
    return c;
  }

  get port(): number {
    const address = this.https ? this.https.address() : this.server?.address();
    return (address as AddressInfo | null)?.port ?? 0;
  }

  get url(): string {
    const host = this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host;
    return `${this.opts.tls ? 'wss' : 'ws'}://${host}:${this.port}`;
  }

  /** What crosses the network each step (the `exchange` option, resolved for this net and wire). */
  get exchange(): 'factors' | 'params' {
    return this.state.exchange;
  }

  /** Ready workers right now. */
  get workerCount(): number {
    return this.ready.size;
  }

  /** The admitted workers right now, for a dashboard. */
  workerTable(): WorkerInfo[] {
    const shards = this.scheduler.shardCounts();
    const now = performance.now();
    return [...this.links.values()].map((link) => ({
      id: link.id,
      name: link.name,
      link: link.type,
      address: link instanceof SocketLink ? link.address : '',
      ready: this.ready.has(link),
      shards: shards[link.name] ?? 0,
      lastHeardMs: link instanceof SocketLink ? now - link.lastSeen : null,
    }));
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const common = { maxPayload: this.opts.maxFrameBytes, perMessageDeflate: false } as const;
      const tls = this.opts.tls;
      const https = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }) : null;
      const server = https
        ? new WebSocketServer({ server: https, ...common })
        : new WebSocketServer({ host: this.opts.host, port: this.opts.port, ...common });
      const emitter = https ?? server;
      const onListening = () => {
        emitter.off('error', failed);
        server.on('error', (err) => this.opts.logger.error(`server error: ${err.message}`));
        // A failed TLS handshake (a plain ws:// client, a wrong CA) is that client's problem, not the run's.
        https?.on('tlsClientError', (err) => this.opts.logger.warn(`TLS handshake failed: ${err.message}`));
        this.emit({ type: 'listening', url: this.url });
        resolve();
      };
      const failed = (err: NodeJS.ErrnoException) => {
        const where = `${this.opts.host}:${this.opts.port}`;
        const hint =
          err.code === 'EADDRINUSE'
            ? `port ${this.opts.port} is in use; pick another --port (0 picks a free one)`
            : err.code === 'EADDRNOTAVAIL'
              ? `${this.opts.host} is not an address of this machine; check --host`
              : err.message;
        reject(
          new CoordinatorError(CoordinatorErrorCode.listen, `cannot listen on ${where}: ${hint}`, {
            cause: err,
          }),
        );
      };
      emitter.once('error', failed);
      emitter.once('listening', onListening);
      server.on('connection', (socket, req) =>
        this.onConnection(socket, `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`),
      );
      this.server = server;
      this.https = https;
      https?.listen(this.opts.port, this.opts.host);
    });
  }

  private onConnection(socket: WebSocket, address: string): void {
    if (this.pendingHandshakes >= this.opts.maxPendingConnections) {
      this.opts.logger.warn(
        `closed a connection: already ${this.pendingHandshakes} connections waiting to say hello`,
      );
      socket.close(1013, 'too many connections in their handshake; try again later');
      return;
    }
    this.pendingHandshakes++;
    let pending = true;
    const settle = () => {
      if (pending) this.pendingHandshakes--;
      pending = false;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => {
      this.opts.logger.warn('a connection sent no hello in time; closing it');
      socket.terminate();
    }, this.opts.timeoutMs);
    socket.once('close', settle);
    socket.on('error', (err) => this.opts.logger.warn(`connection error before hello: ${err.message}`));
    socket.once('message', (data, isBinary) => {
      settle();
      const out = decode(isBinary ? data : 'text', {
        accept: ['hello'],
        maxFrameBytes: this.opts.maxFrameBytes,
      });
      if (!out.ok) {
        this.opts.logger.warn(`refused a connection: ${out.error.code}: ${out.error.message}`);
        this.sendRaw(socket, {
          kind: 'refused',
          code: ErrorCode.badMessage,
          message: `expected hello: ${out.error.message}`,
        });
        socket.close(1002);
        return;
      }
      const hello = out.message;
      const refusal = checkHello(hello, {
        token: this.opts.token,
        backend: this.opts.backend,
        fingerprint: this.opts.data.fingerprint,
        serveDataset: this.opts.serveDataset,
        admitted: this.links.size,
        maxWorkers: this.opts.maxWorkers,
        over: this.over || this.isClosed,
      });
      if (refusal) {
        this.opts.logger.warn(`refused worker ${hello.name}: ${refusal.code}: ${refusal.message}`);
        this.emit({ type: 'refused', worker: hello.name, code: refusal.code, message: refusal.message });
        this.sendRaw(socket, { kind: 'refused', ...refusal });
        socket.close(1008);
        return;
      }
      const id = this.nextId++;
      const link = new SocketLink(
        id,
        `${hello.name}#${id}`,
        socket,
        this,
        this.opts.logger,
        this.opts,
        address,
        this.shaper,
      );
      this.links.set(id, link);
      socket.on('message', () => this.poller.touch());
      link.send(this.welcome(id, hello.fingerprint === 'none', true));
      this.opts.logger.info(`worker ${link.name} joined`);
      this.emit({ type: 'join', worker: link.name, workerId: id, link: 'socket' });
      this.startHeartbeat();
    });
  }

  private addInProcessWorker(): void {
    const id = this.nextId++;
    const link = new InProcessLink({
      id,
      name: `local#${id}`,
      config: this.opts.config,
      backend: this.opts.backend,
      data: this.opts.data,
      fullHashEvery: this.opts.fullHashEvery,
      factored: this.state.replay !== null,
      listener: this,
    });
    this.links.set(id, link);
    this.emit({ type: 'join', worker: link.name, workerId: id, link: 'in-process' });
    link.send(this.welcome(id, false, false));
  }

  /**
   * Everything a joining worker needs to compute the current step; in a factored run, a worker that applies
   * steps itself (`replays`) also gets the optimizer state.
   */
  private welcome(workerId: number, datasetOffered: boolean, replays: boolean): Welcome {
    return {
      kind: 'welcome',
      workerId,
      config: this.opts.config,
      backend: this.opts.backend,
      step: this.state.step,
      version: this.state.version,
      fullHashEvery: this.opts.fullHashEvery,
      params: this.state.net.params,
      stats: this.state.net.stats,
      fingerprint: this.opts.data.fingerprint,
      datasetOffered,
      heartbeatMs: this.opts.heartbeatMs,
      ...(this.opts.gradWire !== 'f32' ? { wire: this.opts.gradWire } : {}),
      ...(this.state.replay !== null
        ? { factored: true, ...(replays ? { optimizer: this.state.optimizer.state() } : {}) }
        : {}),
    };
  }

  // ---- LinkListener ----

  message(link: WorkerLink, message: WorkerMessage): void {
    switch (message.kind) {
      case 'ready':
        if (this.ready.has(link)) return;
        this.ready.add(link);
        this.endPatience();
        this.mostWorkers = Math.max(this.mostWorkers, this.ready.size);
        this.scheduler.addWorker(link);
        this.emit({ type: 'ready', worker: link.name, workerId: link.id });
        for (const wake of this.readyWaiters.splice(0)) wake();
        return;
      case 'result':
      case 'evalResult':
        if (!this.ready.has(link)) {
          link.send({
            kind: 'error',
            code: ErrorCode.unexpectedMessage,
            message: 'results before ready are not accepted',
          });
          return;
        }
        this.scheduler.handle(link, message.kind === 'result' ? this.grads.toFloat32(message) : message);
        return;
      case 'resync':
        this.emit({
          type: 'desync',
          worker: link.name,
          step: message.step,
          message: 'worker asked for full parameters',
        });
        link.send(this.paramsMessage(link));
        return;
      case 'datasetRequest':
        this.serveDataset(link);
        return;
      case 'heartbeat':
        return;
      default:
        link.send({
          kind: 'error',
          code: ErrorCode.unexpectedMessage,
          message: `'${message.kind}' is not expected now`,
        });
    }
  }

  closed(link: WorkerLink, reason: string, clean: boolean): void {
    this.links.delete(link.id);
    this.ready.delete(link);
    this.scheduler.removeWorker(link, reason);
    this.opts.logger.info(`worker ${link.name} ${clean ? 'left' : 'was lost'}: ${reason}`);
    this.emit({ type: clean ? 'leave' : 'lost', worker: link.name, workerId: link.id, reason });
    // Before step 0 the run waits for --min-workers as long as it takes; patience is for workers lost mid-run.
    if (this.started && !this.over && this.ready.size === 0) this.startPatience();
  }

  /** Every worker is gone: wait up to the patience for one, then stop the run (see `run`). */
  private startPatience(): void {
    if (this.patienceTimer || this.stopReason) return;
    const step = this.state.step;
    const seconds = Math.round(this.opts.patienceMs / 1000);
    this.opts.logger.warn(
      `no workers left at step ${step}; keeping the run's state and waiting up to ${seconds} s for a worker at ${this.url}`,
    );
    this.emit({ type: 'waiting', step, ready: 0, needed: 1, on: 'workers' });
    this.patienceTimer = setTimeout(() => {
      this.patienceTimer = null;
      const where = this.opts.checkpointDir;
      this.stopReason = new CoordinatorError(
        CoordinatorErrorCode.noWorkers,
        `no worker came back within ${seconds} s at step ${this.state.step}; stopped` +
          (where !== undefined
            ? ` with a checkpoint in ${where}: start workers and resume the run (--resume)`
            : '; give a checkpoint directory to be able to resume'),
      );
      this.scheduler.fail(this.stopReason);
      for (const wake of this.readyWaiters.splice(0)) wake();
    }, this.opts.patienceMs);
    this.patienceTimer.unref();
  }

  private endPatience(): void {
    if (!this.patienceTimer) return;
    clearTimeout(this.patienceTimer);
    this.patienceTimer = null;
    this.opts.logger.info(`a worker is ready again at step ${this.state.step}; going on`);
  }

  // ---- the run ----

  /** Trains to `config.iters` steps, evaluating and checkpointing on the way. Resolves with the result. */
  async run(): Promise<RunResult> {
    if (this.running)
      throw new CoordinatorError(CoordinatorErrorCode.alreadyRunning, 'run() was already called');
    if (this.isClosed) throw new CoordinatorError(CoordinatorErrorCode.closed, 'the coordinator is closed');
    this.running = true;
    const wallStart = performance.now();
    const { config } = this.opts;
    const startStep = this.state.step;
    const capacity = Math.max(0, config.iters - startStep);
    const series = {
      stepMs: new Series(capacity),
      dispatchMs: new Series(capacity),
      waitMs: new Series(capacity),
      aggregateMs: new Series(capacity),
      optimizerMs: new Series(capacity),
      broadcastMs: new Series(capacity),
    };
    let trainMs = 0;
    await this.waitForWorkers(this.opts.minWorkers);
    this.started = true;
    const computeMs = new Map<string, number>();
    let aggregateMs = 0;
    const sizes: ResultSizes = {
      grad: this.state.accumulator.paramCount,
      stats: this.state.net.stats.length,
      factorWidth: this.state.factorWidth,
    };
    const tasks: Task[] = [];
    const rows: number[] = [];
    const owners: WorkerLink[] = [];

    const spec = {
      step: 0,
      tasks,
      rows,
      owners,
      validate: (index: number, result: Result): Rejection | null => {
        const t0 = performance.now();
        try {
          if (result.version !== this.state.version) {
            return {
              code: ErrorCode.versionMismatch,
              message: `result for step ${result.step} shards ${result.shard}-${result.end - 1} was computed with parameter version ${result.version}, expected ${this.state.version}`,
              resync: true,
            };
          }
          const bad = checkResult(result, sizes, rows[index]);
          if (bad) return bad;
          return null;
        } finally {
          aggregateMs += performance.now() - t0;
        }
      },
      accept: (_index: number, result: Result, link: WorkerLink): void => {
        const t0 = performance.now();
        this.state.accept(result.shard, result.end, result);
        computeMs.set(link.name, (computeMs.get(link.name) ?? 0) + result.computeMs);
        aggregateMs += performance.now() - t0;
      },
    };

    /**
     * Draws step `step`'s batch and hands its nodes to the workers; resolves when every node is summed. In a
     * factored run whose next step will follow at once, each task also names its node's next rows, which the
     * worker lists while the coordinator sums.
     */
    const dispatch = (step: number): Promise<void> => {
      const batch = this.state.drawBatch(step);
      const next = this.state.replay !== null && plain(step + 1) ? this.state.drawBatch(step + 1) : null;
      computeMs.clear();
      aggregateMs = 0;
      tasks.length = 0;
      rows.length = 0;
      owners.length = 0;
      const { ranges } = this.state;
      for (const run of this.scheduler.split(ranges.length)) {
        // A 16-bit wire rounds what it carries, so it carries single shards: rounding a sum of several
        // would make the weights depend on how shards were grouped, i.e. on the number of workers.
        const nodes =
          this.opts.gradWire === 'f32'
            ? treeNodes(run.first, run.end, ranges.length)
            : Array.from({ length: run.end - run.first }, (_, i) => ({
                first: run.first + i,
                end: run.first + i + 1,
              }));
        for (const node of nodes) {
          const start = ranges[node.first].start;
          const end = ranges[node.end - 1].end;
          tasks.push({
            kind: 'task',
            step,
            shard: node.first,
            end: node.end,
            indices: batch.subarray(start, end),
            ...(next !== null ? { next: next.subarray(start, end) } : {}),
          });
          rows.push(end - start);
          owners.push(run.link);
        }
      }
      spec.step = step;
      return this.scheduler.run(spec);
    };
    const due = (every: number, step: number) => every > 0 && step % every === 0 && step < config.iters;
    /** A step with no evaluation or checkpoint before it, whose tasks may go out before the last is applied. */
    const plain = (step: number) =>
      step < config.iters &&
      !due(config.evalEvery, step) &&
      !due(this.opts.checkpointEvery, step) &&
      this.ready.size > 0 &&
      !this.isClosed &&
      this.stopReason === null;

    let final: EvalRecord;
    /** The current step's round when its tasks went out early (a factored run). */
    let dispatched: Promise<void> | null = null;
    try {
      while (this.state.step < config.iters) {
        if (this.isClosed)
          throw new CoordinatorError(
            CoordinatorErrorCode.closed,
            'the coordinator was closed during the run',
          );
        if (this.stopReason) throw this.stopReason;
        if (dispatched === null && this.ready.size === 0) {
          this.startPatience();
          await this.waitForWorkers(1);
        }
        const step = this.state.step;
        const t0 = performance.now();
        const round = dispatched ?? dispatch(step);
        dispatched = null;
        const t1 = performance.now();
        await round;
        const t2 = performance.now();
        const factored = this.state.replay !== null;
        const stepComputeMs = Object.fromEntries(computeMs);
        const stepAggregateMs = aggregateMs;
        if (factored) {
          // Socket workers apply the step while the coordinator does, and the next step's tasks follow at once
          // (so they wait on no one's replay but their own): the workers compute them with the parameters the
          // update leads to, which the coordinator holds before any of their results can be read.
          this.broadcast(this.updateMessage(), 'socket');
          if (plain(step + 1)) {
            dispatched = dispatch(step + 1);
            // Awaited at the top of the next iteration; should an observer throw first, its failure is not unhandled.
            dispatched.catch(() => undefined);
          }
        }
        const outcome = this.state.update();
        this.state.stageNext();
        const t3 = performance.now();
        this.broadcast(this.paramsMessage(), factored ? 'in-process' : 'all');
        const t4 = performance.now();
        const timings = {
          stepMs: t4 - t0,
          dispatchMs: t1 - t0,
          waitMs: t2 - t1,
          aggregateMs: stepAggregateMs,
          optimizerMs: t3 - t2,
          broadcastMs: t4 - t3,
          computeMs: stepComputeMs,
        };
        trainMs += timings.stepMs;
        series.stepMs.push(timings.stepMs);
        series.dispatchMs.push(timings.dispatchMs);
        series.waitMs.push(timings.waitMs);
        series.aggregateMs.push(timings.aggregateMs);
        series.optimizerMs.push(timings.optimizerMs);
        series.broadcastMs.push(timings.broadcastMs);
        this.opts.observer.onStep?.({ step, ...outcome, workers: this.ready.size, timings });
        const done = this.state.step;
        if (due(config.evalEvery, done)) await this.evaluate();
        if (due(this.opts.checkpointEvery, done)) this.writeCheckpoint();
      }
      final = this.lastEval?.step === this.state.step ? this.lastEval : await this.evaluate();
    } catch (err) {
      if (err === this.stopReason) this.stopWithCheckpoint();
      throw err;
    }
    if (this.opts.checkpointDir !== undefined) this.writeCheckpoint();
    this.over = true;
    for (const link of [...this.links.values()]) link.close('run finished');
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const trainSeconds = trainMs / 1000;
    const stepsThisRun = this.state.step - startStep;
    const params = this.state.net.params.slice();
    return {
      params,
      stats: this.state.net.stats.slice(),
      paramsSha256: sha256Hex(params),
      steps: this.state.step,
      stepsThisRun,
      trainAcc: final.trainAcc,
      testAcc: final.testAcc,
      trainLoss: final.trainLoss,
      testLoss: final.testLoss,
      wallSeconds,
      trainSeconds,
      stepsPerSecond: trainSeconds > 0 ? stepsThisRun / trainSeconds : 0,
      samplesPerSecond: trainSeconds > 0 ? (stepsThisRun * config.batch) / trainSeconds : 0,
      workers: this.mostWorkers,
      exchange: this.state.exchange,
      shardsByWorker: this.scheduler.allShardCounts(),
      timings: {
        stepMs: series.stepMs.spread(),
        dispatchMs: series.dispatchMs.spread(),
        waitMs: series.waitMs.spread(),
        aggregateMs: series.aggregateMs.spread(),
        optimizerMs: series.optimizerMs.spread(),
        broadcastMs: series.broadcastMs.spread(),
      },
    };
  }

  /** Train and test accuracy over the whole sets, as forward-only range tasks spread over the workers. */
  private async evaluate(): Promise<EvalRecord> {
    const started = performance.now();
    const { data } = this.opts;
    const step = this.state.step;
    const ranges = evalRanges({ train: data.train.count, test: data.test.count }, this.opts.evalChunkRows);
    const tasks: EvalTask[] = ranges.map((range, id) => ({
      kind: 'evalTask',
      id,
      step,
      version: this.state.version,
      ...range,
    }));
    const results: (EvalResult | null)[] = tasks.map(() => null);
    // The coordinator computes its share while the workers compute theirs.
    const sockets = [...this.ready].filter((link) => link.type === 'socket').length;
    const own = ownShare(tasks.length, sockets);
    const remote = tasks.slice(0, tasks.length - own);
    const rows = remote.map((t) => t.end - t.start);
    const round = this.scheduler.run({
      step,
      tasks: remote,
      rows,
      // An evaluation range holds hundreds of times a micro-shard's rows.
      timeoutMs: this.opts.taskTimeoutMs * EVAL_DEADLINE_FACTOR,
      validate: (index: number, result: EvalResult): Rejection | null => {
        const task = tasks[index];
        if (result.version !== this.state.version) {
          return {
            code: ErrorCode.versionMismatch,
            message: `evaluation at step ${step} used parameter version ${result.version}, expected ${this.state.version}`,
            resync: true,
          };
        }
        if (result.split !== task.split || result.start !== task.start || result.end !== task.end) {
          return { code: ErrorCode.badResult, message: `evaluation result does not match task ${index}` };
        }
        const bad = checkEvalResult(result, rows[index]);
        return bad ? { code: bad.code, message: bad.message } : null;
      },
      accept: (index: number, result: EvalResult) => {
        results[index] = result;
      },
    });
    for (let i = remote.length; i < tasks.length; i++) {
      const task = tasks[i];
      const t0 = performance.now();
      const counts = this.state.evaluate(data[task.split], task.start, task.end);
      results[i] = { ...task, ...counts, kind: 'evalResult', computeMs: performance.now() - t0 };
    }
    await round;
    const sum = (split: 'train' | 'test') => {
      let correct = 0;
      let loss = 0;
      let n = 0;
      for (const r of results) {
        if (r && r.split === split) {
          correct += r.correct;
          loss += r.lossSum;
          n += r.rows;
        }
      }
      return { acc: n > 0 ? correct / n : 0, loss: n > 0 ? loss / n : 0 };
    };
    const train = sum('train');
    const test = sum('test');
    const record: EvalRecord = {
      step,
      epoch: (step * this.opts.config.batch) / data.train.count,
      trainAcc: train.acc,
      testAcc: test.acc,
      trainLoss: train.loss,
      testLoss: test.loss,
      ms: performance.now() - started,
    };
    this.lastEval = record;
    this.opts.observer.onEval?.(record);
    return record;
  }

  /** The clean stop after the patience ran out: the state as of the last applied step, then bye to all. */
  private stopWithCheckpoint(): void {
    this.state.abandonStep();
    this.writeCheckpoint();
    this.over = true;
    for (const link of [...this.links.values()]) link.close('run stopped: no workers');
  }

  private writeCheckpoint(): void {
    const dir = this.opts.checkpointDir;
    if (dir === undefined) return;
    const t0 = performance.now();
    saveCheckpoint(dir, this.state.checkpoint());
    this.emit({ type: 'checkpoint', step: this.state.step, dir, ms: performance.now() - t0 });
  }

  /** `message` to every admitted worker (or those of one link type), encoded once for the sockets. */
  private broadcast(message: Params | Update, to: WorkerLink['type'] | 'all'): void {
    let sockets = 0;
    for (const link of this.links.values())
      if (link.type === 'socket' && (to === 'all' || to === 'socket')) sockets++;
    const { frame, sent } =
      sockets > 0 ? this.frames.encode(message, sockets) : { frame: EMPTY, sent: undefined };
    for (const link of this.links.values()) {
      if (to !== 'all' && link.type !== to) continue;
      link.sendEncoded(frame, message, link.type === 'socket' ? sent : undefined);
    }
  }

  /** The parameters; in a factored run with the optimizer state for a socket worker, which applies steps itself. */
  private paramsMessage(link?: WorkerLink): Params {
    return {
      kind: 'params',
      step: this.state.step,
      version: this.state.version,
      params: this.state.net.params,
      stats: this.state.net.stats,
      ...(this.state.replay !== null && link?.type === 'socket'
        ? { optimizer: this.state.optimizer.state() }
        : {}),
    };
  }

  /** The summed step, for workers to apply as the coordinator does (a factored run). */
  private updateMessage(): Update {
    const sums = this.state.accumulator.result();
    return {
      kind: 'update',
      step: this.state.step + 1,
      indices: this.state.batchOf(this.state.step),
      factor: this.state.replay!.factor,
      grad: sums.gradSum,
      stats: sums.statsSum,
    };
  }

  private serveDataset(link: WorkerLink): void {
    if (!this.opts.serveDataset) {
      link.send({
        kind: 'error',
        code: ErrorCode.noDataset,
        message: 'this coordinator does not serve the data set',
      });
      return;
    }
    const bytes = this.packed ?? packDataset(this.opts.data);
    this.packed = bytes;
    const count = Math.max(1, Math.ceil(bytes.length / DATASET_CHUNK_BYTES));
    for (let index = 0; index < count; index++) {
      link.send({
        kind: 'dataset',
        fingerprint: this.opts.data.fingerprint,
        index,
        count,
        totalBytes: bytes.length,
        bytes: bytes.subarray(
          index * DATASET_CHUNK_BYTES,
          Math.min(bytes.length, (index + 1) * DATASET_CHUNK_BYTES),
        ),
      });
    }
  }

  private waitForWorkers(needed: number): Promise<void> {
    if (this.ready.size >= needed) return Promise.resolve();
    this.emit({ type: 'waiting', step: this.state.step, ready: this.ready.size, needed, on: 'workers' });
    this.opts.logger.info(`waiting for ${needed - this.ready.size} more worker(s) at ${this.url}`);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.isClosed)
          reject(
            new CoordinatorError(
              CoordinatorErrorCode.closed,
              'the coordinator was closed while waiting for workers',
            ),
          );
        else if (this.stopReason) reject(this.stopReason);
        else if (this.ready.size >= needed) resolve();
        else this.readyWaiters.push(check);
      };
      this.readyWaiters.push(check);
    });
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const frame = encode({ kind: 'heartbeat', at: Date.now() });
      const now = performance.now();
      for (const link of this.links.values()) {
        if (!(link instanceof SocketLink)) continue;
        if (now - link.lastSeen > this.opts.timeoutMs) {
          link.terminate(
            `no message for ${Math.round(now - link.lastSeen)} ms (timeout ${this.opts.timeoutMs} ms)`,
          );
        } else {
          link.sendEncoded(frame);
        }
      }
    }, this.opts.heartbeatMs);
    this.heartbeat.unref();
  }

  private sendRaw(socket: WebSocket, message: Parameters<typeof encode>[0]): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(encode(message));
  }

  private emit(event: CoordinatorEvent): void {
    this.opts.observer.onEvent?.(event);
  }

  /** Stops the server and every link; a running `run()` rejects with DESCENT_ERR_CLOSED. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.over = true;
    this.poller.stop();
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.patienceTimer) clearTimeout(this.patienceTimer);
    this.scheduler.fail(
      new CoordinatorError(CoordinatorErrorCode.closed, 'the coordinator was closed during the run'),
    );
    for (const wake of this.readyWaiters.splice(0)) wake();
    for (const link of [...this.links.values()]) link.close('coordinator closing');
    const server = this.server;
    if (!server) return;
    // Give the bye frames a moment to reach the workers (so they stop rather than redial), then cut the rest.
    const open = [...server.clients].filter((c) => c.readyState !== WebSocket.CLOSED);
    await Promise.race([
      Promise.all(open.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve())))),
      new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref()),
    ]);
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const https = this.https;
    if (https) await new Promise<void>((resolve) => https.close(() => resolve()));
  }
}

const EMPTY = new Uint8Array(0);
const CLOSE_GRACE_MS = 3000;
const EVAL_DEADLINE_FACTOR = 10;
