import type { CoordinatorEvent, EvalRecord, Observer, StepRecord } from '@descent/coordinator';
import type { Delta, EpochPoint, LogLine, Progress, RunStatus, Snapshot } from './client/wire.js';
import { configRows } from './config-rows.js';
import { StreamingEma, smoothingSpan } from './ema.js';
import { eventText } from './event-text.js';
import { bucketSize, TimingBuckets } from './timing-buckets.js';
import { WorkerBoard, type WorkerProbe } from './worker-board.js';

export interface RunStateOptions {
  /** Shown as the page title: the run directory's name. */
  readonly title: string;
  readonly iters: number;
  readonly batch: number;
  readonly trainSize: number;
  /** Steps between evaluations, for the ETA. */
  readonly evalEvery: number;
  /** The run's config.json, shown as a table. */
  readonly config: unknown;
  /** A finished run reopened from its files. */
  readonly replay?: boolean;
  /** Milliseconds clock; injectable for tests. */
  readonly now?: () => number;
}

/** Steps the live pace (samples/s, ETA) is measured over. */
const PACE_WINDOW = 50;
/** Log lines kept: the page shows the latest. */
const LOG_LIMIT = 500;

/**
 * Everything the dashboard shows about one run, built from the coordinator's observer records (live) or from
 * the run's files (replay), and handed out as a snapshot followed by deltas.
 */
export class RunState implements Observer {
  private readonly loss: number[] = [];
  private readonly smoothed: number[] = [];
  private readonly ema: StreamingEma;
  private readonly epochs: EpochPoint[] = [];
  private readonly buckets: TimingBuckets;
  private readonly board = new WorkerBoard();
  private readonly log: LogLine[] = [];
  private logCount = 0;
  private readonly pace: { rows: number; ms: number }[] = [];
  private readonly now: () => number;
  private readonly startedAt: number;
  private status: RunStatus = 'waiting';
  private step = 0;
  private firstStep = 0;
  private trainMs = 0;
  private lastEvalMs = 0;
  private summary: Record<string, unknown> | null = null;
  private readonly sent = { loss: 0, epochs: 0, timings: 0, log: 0 };

  constructor(private readonly options: RunStateOptions) {
    this.ema = new StreamingEma(smoothingSpan(options.iters));
    this.buckets = new TimingBuckets(bucketSize(options.iters));
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  onStep(r: StepRecord): void {
    this.status = 'running';
    this.step = r.step + 1;
    if (this.loss.length === 0 || r.step < this.firstStep) this.restart(r.step);
    const index = r.step - this.firstStep;
    // A resumed run's log repeats the steps after its last checkpoint: the later pass is the one that counts.
    if (index < this.loss.length) this.rewind(index);
    this.loss.push(r.loss);
    this.smoothed.push(this.ema.push(r.loss));
    this.buckets.push(r.step, r.rows, r.timings);
    this.board.computed(r.timings.computeMs);
    this.trainMs += r.timings.stepMs;
    this.pace.push({ rows: r.rows, ms: r.timings.stepMs });
    if (this.pace.length > PACE_WINDOW) this.pace.shift();
  }

  onEval(r: EvalRecord): void {
    this.epochs.push({
      step: r.step,
      epoch: r.epoch,
      trainAcc: r.trainAcc,
      testAcc: r.testAcc,
      trainLoss: r.trainLoss,
      testLoss: r.testLoss,
    });
    this.lastEvalMs = r.ms;
  }

  /** `time` is the record's own ISO time when replaying; live events are stamped now. */
  onEvent(e: CoordinatorEvent, time?: string): void {
    switch (e.type) {
      case 'join':
        this.board.join(e.worker, e.link);
        break;
      case 'ready':
        this.board.ready(e.worker);
        break;
      case 'lost':
      case 'leave':
        this.board.gone(e.worker, e.type === 'leave');
        break;
      default:
        break;
    }
    this.addLog(e.type, eventText(e), time ?? new Date(this.now()).toISOString());
  }

  /** The coordinator's current view of its workers (live runs only). */
  probe(workers: readonly WorkerProbe[]): void {
    this.board.probe(workers);
  }

  /** The run is over; `summary` is what summary.json holds. */
  finish(summary: Record<string, unknown>, time?: string): void {
    this.status = 'finished';
    this.summary = summary;
    const shards = summary.shardsByWorker;
    if (shards !== null && typeof shards === 'object') this.board.shards(shards as Record<string, number>);
    this.addLog(
      'finished',
      `run finished after ${this.step} steps`,
      time ?? new Date(this.now()).toISOString(),
    );
  }

  fail(message: string): void {
    this.status = 'failed';
    this.addLog('failed', message, new Date(this.now()).toISOString());
  }

  get stepsDone(): number {
    return this.step;
  }

  workerTable() {
    return this.board.table();
  }

  snapshot(): Snapshot {
    return {
      kind: 'snapshot',
      replay: this.options.replay === true,
      title: this.options.title,
      config: configRows(this.options.config),
      firstStep: this.firstStep,
      smoothingSpan: this.ema.span,
      loss: this.loss,
      smoothed: this.smoothed,
      epochs: this.epochs,
      timings: this.buckets.done,
      workers: this.board.table(),
      log: this.log,
      progress: this.progress(),
      summary: this.summary,
    };
  }

  /** Marks everything up to now as sent: a new stream starts from `snapshot()` taken right after. */
  markSent(): void {
    this.sent.loss = this.loss.length;
    this.sent.epochs = this.epochs.length;
    this.sent.timings = this.buckets.done.length;
    this.sent.log = this.logCount;
  }

  /** What was added since the last delta (or markSent). */
  delta(): Delta {
    const from = this.sent.loss;
    const newLog = Math.min(this.logCount - this.sent.log, this.log.length);
    const delta: Delta = {
      kind: 'delta',
      from,
      loss: this.loss.slice(from),
      smoothed: this.smoothed.slice(from),
      epochs: this.epochs.slice(this.sent.epochs),
      timings: this.buckets.done.slice(this.sent.timings),
      log: this.log.slice(this.log.length - newLog),
      workers: this.board.table(),
      progress: this.progress(),
      summary: this.summary,
    };
    this.markSent();
    return delta;
  }

  private restart(step: number): void {
    this.firstStep = step;
    this.rewind(0);
  }

  private rewind(length: number): void {
    this.loss.length = length;
    this.smoothed.length = length;
    this.sent.loss = Math.min(this.sent.loss, length);
  }

  private progress(): Progress {
    const { iters, batch, trainSize, evalEvery } = this.options;
    let rows = 0;
    let ms = 0;
    for (const p of this.pace) {
      rows += p.rows;
      ms += p.ms;
    }
    const meanStepMs = this.pace.length > 0 ? ms / this.pace.length : 0;
    const left = Math.max(0, iters - this.step);
    const evalsLeft =
      evalEvery > 0 ? Math.floor((iters - 1) / evalEvery) - Math.floor(this.step / evalEvery) : 0;
    const running = this.status === 'running' || this.status === 'waiting';
    const wall = this.summary?.wallSeconds;
    return {
      status: this.status,
      step: this.step,
      iters,
      epoch: (this.step * batch) / trainSize,
      samplesPerSecond: ms > 0 ? (rows * 1000) / ms : 0,
      etaSeconds:
        this.status === 'finished'
          ? 0
          : this.pace.length > 0
            ? (left * meanStepMs + Math.max(0, evalsLeft + 1) * this.lastEvalMs) / 1000
            : null,
      elapsedSeconds:
        typeof wall === 'number'
          ? wall
          : running && this.options.replay !== true
            ? (this.now() - this.startedAt) / 1000
            : this.trainMs / 1000,
    };
  }

  private addLog(kind: string, text: string, time: string): void {
    this.log.push({ time, kind, text });
    this.logCount++;
    if (this.log.length > LOG_LIMIT) this.log.shift();
  }
}
