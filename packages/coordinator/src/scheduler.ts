import { ErrorCode, type EvalResult, type EvalTask, type Result, type Task } from '@descent/protocol';
import { balance, contiguousRuns } from './balance.js';
import { CoordinatorError, CoordinatorErrorCode } from './coordinator-error.js';
import type { Logger } from './logger.js';
import type { CoordinatorEvent } from './observer.js';
import type { WorkerLink } from './worker-link.js';

type AnyTask = Task | EvalTask;
type AnyResult = Result | EvalResult;

/** Why a result was not used; `resync` asks for the worker to be sent full parameters again. */
export interface Rejection {
  readonly code: string;
  readonly message: string;
  readonly resync?: boolean;
  /** The values were NaN/Inf: if two workers agree, training itself has diverged. */
  readonly nonFinite?: boolean;
}

export interface RoundSpec<T extends AnyTask, R extends AnyResult> {
  readonly step: number;
  readonly tasks: readonly T[];
  /** Rows each task covers: the unit of work for balancing and speed. */
  readonly rows: readonly number[];
  /** The worker each task goes to first, from `split`; default: counts balanced by measured speed. */
  readonly owners?: readonly WorkerLink[];
  /** Deadline of one job of this round; default the scheduler's taskTimeoutMs. */
  readonly timeoutMs?: number;
  /** Checks a result for the job at `index` beyond step/assignment/duplicates; null accepts it. */
  validate(index: number, result: R, link: WorkerLink): Rejection | null;
  /** Uses an accepted result (called at most once per job). */
  accept(index: number, result: R, link: WorkerLink): void;
}

export interface SchedulerOptions {
  readonly taskTimeoutMs: number;
  /** A round still running after this long logs which jobs and workers it waits on. */
  readonly slowRoundMs: number;
  readonly logger: Logger;
  readonly emit: (event: CoordinatorEvent) => void;
  /** Sends the current parameters to a worker whose version did not match. */
  readonly resync: (link: WorkerLink) => void;
  /** Rejected results tolerated from one worker before it is disconnected. */
  readonly maxStrikes?: number;
  /**
   * Extra workers each training micro-shard is also handed to; the first result is used. Micro-shard sums are
   * the same bytes whoever computes them, so this trims the wait for a slow worker without changing the weights.
   */
  readonly backups?: number;
}

interface WorkerState {
  readonly link: WorkerLink;
  /** Rows per millisecond of reported compute, EMA, per task kind. */
  readonly speed: { task: number; evalTask: number };
  /** Rows assigned and not yet answered in the current round. */
  pending: number;
  shards: number;
  strikes: number;
  /** Jobs handed to this worker and not yet answered, by jobKey: an answer to one of them is never a strike. */
  readonly outstanding: Set<string>;
}

/** Outstanding keys kept per worker; a frozen worker cannot grow the set without bound. */
const MAX_OUTSTANDING = 1024;

interface JobState {
  readonly task: AnyTask;
  readonly rows: number;
  readonly assignees: Set<WorkerLink>;
  readonly nonFiniteFrom: Set<WorkerLink>;
  nonFiniteAnswers: number;
  owner: WorkerLink | null;
  assignedAt: number;
  deadline: number;
  done: boolean;
}

interface Round {
  readonly kind: AnyTask['kind'];
  readonly timeoutMs: number;
  readonly step: number;
  readonly spec: RoundSpec<AnyTask, AnyResult>;
  readonly jobs: JobState[];
  readonly started: number;
  remaining: number;
  nextSlowLog: number;
  resolve(): void;
  reject(err: Error): void;
}

const SPEED_EMA = 0.3;

/**
 * Hands a round of jobs (a step's micro-shards, or an evaluation's row ranges) to the ready workers in
 * proportion to their measured speed, checks every result against what was assigned, re-assigns the jobs of
 * lost or late workers, and resolves when every job has exactly one accepted result.
 */
export class Scheduler {
  private readonly workers = new Map<WorkerLink, WorkerState>();
  private round: Round | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly maxStrikes: number;

  constructor(private readonly options: SchedulerOptions) {
    this.maxStrikes = options.maxStrikes ?? 3;
  }

  /** Shards (and ranges) each worker has had accepted, by name. */
  shardCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of this.workers.values()) out[w.link.name] = (out[w.link.name] ?? 0) + w.shards;
    return out;
  }

  /** Called with the final counts of workers that left, so the run's totals include them. */
  private readonly departed: Record<string, number> = {};

  allShardCounts(): Record<string, number> {
    const out = { ...this.departed };
    for (const [name, n] of Object.entries(this.shardCounts())) out[name] = (out[name] ?? 0) + n;
    return out;
  }

  /** One contiguous run of `units` (a step's micro-shards) per ready worker, by measured speed (contiguousRuns). */
  split(units: number): { link: WorkerLink; first: number; end: number }[] {
    const states = [...this.workers.values()];
    return contiguousRuns(
      units,
      states.map((w) => w.speed.task),
    ).map((r) => ({ link: states[r.worker].link, first: r.first, end: r.end }));
  }

  addWorker(link: WorkerLink): void {
    if (this.workers.has(link)) return;
    const known = [...this.workers.values()];
    const mean = (k: 'task' | 'evalTask') =>
      known.length > 0 ? known.reduce((a, w) => a + w.speed[k], 0) / known.length : 0;
    this.workers.set(link, {
      link,
      speed: { task: mean('task'), evalTask: mean('evalTask') },
      pending: 0,
      shards: 0,
      strikes: 0,
      outstanding: new Set(),
    });
    const round = this.round;
    if (round)
      for (const job of round.jobs)
        if (!job.done && job.owner === null) this.assign(round, job, link, 'joined');
  }

  removeWorker(link: WorkerLink, reason: string): void {
    const state = this.workers.get(link);
    if (!state) return;
    this.workers.delete(link);
    this.departed[link.name] = (this.departed[link.name] ?? 0) + state.shards;
    const round = this.round;
    if (!round) return;
    for (const job of round.jobs) {
      if (job.done || job.owner !== link) continue;
      job.owner = null;
      const to = this.pickFor(job);
      if (to) {
        this.options.emit({
          type: 'reassign',
          step: round.step,
          job: describe(job.task),
          from: link.name,
          to: to.name,
          reason,
        });
        this.assign(round, job, to, reason);
      }
    }
  }

  /** Runs one round to completion. Only one round runs at a time. */
  run<T extends AnyTask, R extends AnyResult>(spec: RoundSpec<T, R>): Promise<void> {
    if (this.round) throw new Error('a round is already running');
    if (spec.tasks.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const now = performance.now();
      const timeoutMs = spec.timeoutMs ?? this.options.taskTimeoutMs;
      const round: Round = {
        kind: spec.tasks[0].kind,
        timeoutMs,
        step: spec.step,
        spec: spec as unknown as RoundSpec<AnyTask, AnyResult>,
        jobs: spec.tasks.map((task, i) => ({
          task,
          rows: spec.rows[i],
          assignees: new Set(),
          nonFiniteFrom: new Set(),
          nonFiniteAnswers: 0,
          owner: null,
          assignedAt: now,
          deadline: now + timeoutMs,
          done: false,
        })),
        started: now,
        remaining: spec.tasks.length,
        nextSlowLog: now + this.options.slowRoundMs,
        resolve,
        reject,
      };
      this.round = round;
      const states = [...this.workers.values()];
      for (const w of states) w.pending = 0;
      const primary: number[] = [];
      const owners = spec.owners;
      if (owners) {
        round.jobs.forEach((job, j) => {
          const owner = owners[j];
          const to = this.workers.has(owner) ? owner : this.pickFor(job);
          primary.push(
            Math.max(
              0,
              states.findIndex((w) => w.link === to),
            ),
          );
          if (to) this.assign(round, job, to, 'scheduled');
        });
      } else {
        const counts = balance(
          round.jobs.length,
          states.map((w) => w.speed[round.kind]),
        );
        let next = 0;
        states.forEach((w, i) => {
          for (let k = 0; k < counts[i]; k++) {
            primary.push(i);
            this.assign(round, round.jobs[next++], w.link, 'scheduled');
          }
        });
      }
      if (round.kind === 'task') this.assignBackups(round, states, primary);
      this.timer = setInterval(
        () => this.checkDeadlines(),
        Math.max(5, Math.min(250, this.options.taskTimeoutMs / 4)),
      );
      this.timer.unref();
    });
  }

  /**
   * A result or evalResult from `link`. Late answers to jobs this worker was given (and that were since
   * re-assigned or finished elsewhere) are dropped quietly; anything never asked of it is refused and counts
   * as a strike.
   */
  handle(link: WorkerLink, result: AnyResult): void {
    const round = this.round;
    const kind = result.kind === 'result' ? 'task' : 'evalTask';
    const index = result.kind === 'result' ? `${result.shard}-${result.end}` : `${result.id}`;
    const state = this.workers.get(link);
    const wasAsked = state?.outstanding.delete(jobKey(kind, result.step, index)) ?? false;
    if (!round || round.kind !== kind || round.step !== result.step) {
      if (wasAsked) {
        this.options.logger.debug(
          `dropped a late ${result.kind} for step ${result.step} job ${index} from ${link.name}`,
        );
        return;
      }
      this.reject(
        link,
        result.step,
        ErrorCode.staleResult,
        `${result.kind} for step ${result.step} job ${index} is not expected now${round ? ` (running step ${round.step})` : ''}`,
      );
      return;
    }
    const position =
      result.kind === 'result'
        ? round.jobs.findIndex(
            (j) => j.task.kind === 'task' && j.task.shard === result.shard && j.task.end === result.end,
          )
        : result.id;
    const job = round.jobs[position];
    if (!job?.assignees.has(link)) {
      this.reject(
        link,
        result.step,
        ErrorCode.notAssigned,
        `${result.kind} for job ${index} of step ${result.step} was not assigned to ${link.name}`,
      );
      return;
    }
    if (!wasAsked) {
      this.reject(
        link,
        result.step,
        ErrorCode.duplicateResult,
        `${result.kind} for ${describe(job.task)} of step ${result.step} was already answered by ${link.name}`,
      );
      return;
    }
    if (job.done) {
      this.options.logger.debug(
        `dropped a duplicate ${result.kind} for ${describe(job.task)} from ${link.name}`,
      );
      if (state) state.pending = Math.max(0, state.pending - job.rows);
      return;
    }
    const rejection = round.spec.validate(position, result, link);
    if (rejection) {
      if (rejection.resync) {
        this.options.emit({
          type: 'desync',
          worker: link.name,
          step: round.step,
          message: rejection.message,
        });
        this.options.logger.warn(
          `worker ${link.name}, step ${round.step}: ${rejection.message}; sending full parameters`,
        );
        link.send({ kind: 'error', code: rejection.code, message: rejection.message });
        this.options.resync(link);
      } else {
        this.reject(link, round.step, rejection.code, rejection.message);
      }
      if (rejection.nonFinite) {
        job.nonFiniteFrom.add(link);
        job.nonFiniteAnswers++;
        // Divergence needs two non-finite answers (from two workers, or twice from a lone one) and every ready
        // worker to have tried the job: one broken or hostile peer only gets its shard recomputed elsewhere.
        const untried = [...this.workers.keys()].some((l) => !job.assignees.has(l));
        const agreed = job.nonFiniteFrom.size >= 2 || (this.workers.size <= 1 && job.nonFiniteAnswers >= 2);
        if (!untried && agreed) {
          this.fail(
            new CoordinatorError(
              CoordinatorErrorCode.diverged,
              `training diverged at step ${round.step}: ${describe(job.task)} gives non-finite values on ` +
                `${[...job.nonFiniteFrom].map((l) => l.name).join(' and ')} (${rejection.message}); lower the learning rate`,
            ),
          );
          return;
        }
      }
      // The job moved on already: the sender's last strike closed its link and the job was handed out again.
      if (job.owner !== link) return;
      if (state) state.pending = Math.max(0, state.pending - job.rows);
      job.owner = null;
      const to = this.pickFor(job, rejection.resync ? undefined : link) ?? (rejection.resync ? link : null);
      if (to) {
        if (to !== link)
          this.options.emit({
            type: 'reassign',
            step: round.step,
            job: describe(job.task),
            from: link.name,
            to: to.name,
            reason: rejection.code,
          });
        this.assign(round, job, to, rejection.code);
      }
      return;
    }
    job.done = true;
    round.spec.accept(position, result, link);
    if (state) {
      state.pending = Math.max(0, state.pending - job.rows);
      state.shards += job.task.kind === 'task' ? job.task.end - job.task.shard : 1;
      const sample = job.rows / Math.max(result.computeMs, 0.01);
      const s = state.speed[kind];
      state.speed[kind] = s > 0 ? (1 - SPEED_EMA) * s + SPEED_EMA * sample : sample;
    }
    if (--round.remaining === 0) this.finish(round);
  }

  /** Stops a running round with an error (the run is being closed). */
  fail(err: Error): void {
    const round = this.round;
    if (!round) return;
    this.finishTimers();
    this.round = null;
    round.reject(err);
  }

  private finish(round: Round): void {
    this.finishTimers();
    this.round = null;
    round.resolve();
  }

  private finishTimers(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private assign(round: Round, job: JobState, link: WorkerLink, _why: string): void {
    const state = this.workers.get(link);
    if (!state) return;
    job.owner = link;
    job.assignees.add(link);
    job.assignedAt = performance.now();
    job.deadline = job.assignedAt + round.timeoutMs;
    state.pending += job.rows;
    if (state.outstanding.size >= MAX_OUTSTANDING) {
      const oldest = state.outstanding.values().next().value;
      if (oldest !== undefined) state.outstanding.delete(oldest);
    }
    state.outstanding.add(jobKey(job.task.kind, round.step, jobIndex(job.task)));
    link.send(job.task);
  }

  /** Worker i also gets the jobs of workers i-1 … i-backups, after all its own: the first answer wins. */
  private assignBackups(round: Round, states: readonly WorkerState[], primary: readonly number[]): void {
    const copies = Math.min(this.options.backups ?? 0, states.length - 1);
    for (let b = 1; b <= copies; b++) {
      round.jobs.forEach((job, j) => {
        const to = states[(primary[j] + b) % states.length];
        if (job.assignees.has(to.link)) return;
        job.assignees.add(to.link);
        to.pending += job.rows;
        to.outstanding.add(jobKey(job.task.kind, round.step, jobIndex(job.task)));
        to.link.send(job.task);
      });
    }
  }

  /** The worker expected to finish soonest, preferring one that has not had this job yet. */
  private pickFor(job: JobState, avoid?: WorkerLink): WorkerLink | null {
    let best: WorkerState | null = null;
    let bestScore = Number.POSITIVE_INFINITY;
    const kind = job.task.kind;
    for (const w of this.workers.values()) {
      if (w.link === avoid && this.workers.size > 1) continue;
      const fresh = !job.assignees.has(w.link);
      const speed = w.speed[kind] > 0 ? w.speed[kind] : 1;
      const score = (w.pending + job.rows) / speed + (fresh ? 0 : 1e9);
      if (score < bestScore) {
        best = w;
        bestScore = score;
      }
    }
    return best?.link ?? null;
  }

  private checkDeadlines(): void {
    const round = this.round;
    if (!round) return;
    const now = performance.now();
    if (now >= round.nextSlowLog) {
      round.nextSlowLog = now + this.options.slowRoundMs;
      const waiting = round.jobs
        .filter((j) => !j.done)
        .map((j) =>
          j.owner
            ? `${describe(j.task)} on ${j.owner.name} for ${Math.round(now - j.assignedAt)} ms`
            : `${describe(j.task)} on no worker`,
        );
      const what = round.kind === 'task' ? `step ${round.step}` : `evaluation at step ${round.step}`;
      this.options.logger.warn(
        `${what} has waited ${Math.round(now - round.started)} ms, still on ${waiting.join(', ')}`,
      );
    }
    for (const job of round.jobs) {
      if (job.done) continue;
      if (job.owner === null) {
        const to = this.pickFor(job);
        if (to) this.assign(round, job, to, 'unassigned');
        else if (now > job.deadline) {
          job.deadline = now + round.timeoutMs;
          this.options.emit({
            type: 'waiting',
            step: round.step,
            ready: 0,
            needed: 1,
            on: describe(job.task),
          });
        }
        continue;
      }
      if (now <= job.deadline) continue;
      const from = job.owner;
      const to = this.pickFor(job, from);
      this.options.logger.warn(
        `step ${round.step}: ${describe(job.task)} on ${from.name} passed its ${round.timeoutMs} ms deadline` +
          (to && to !== from ? `; re-assigning to ${to.name}` : '; no other worker to give it to'),
      );
      if (to && to !== from) {
        this.options.emit({
          type: 'reassign',
          step: round.step,
          job: describe(job.task),
          from: from.name,
          to: to.name,
          reason: 'deadline',
        });
        const state = this.workers.get(from);
        if (state) {
          state.pending = Math.max(0, state.pending - job.rows);
          // A missed deadline counts as very slow, so the next rounds give this worker less.
          const known = state.speed[job.task.kind];
          state.speed[job.task.kind] = known > 0 ? known / 4 : 1e-6;
        }
        this.assign(round, job, to, 'deadline');
      } else {
        job.deadline = now + round.timeoutMs;
      }
    }
  }

  private reject(link: WorkerLink, step: number, code: string, message: string): void {
    this.options.logger.warn(`worker ${link.name}, step ${step}: dropped result: ${message}`);
    this.options.emit({ type: 'rejected', worker: link.name, step, code, message });
    link.send({ kind: 'error', code, message });
    const state = this.workers.get(link);
    if (state && ++state.strikes >= this.maxStrikes) {
      link.close(`${state.strikes} rejected results; last: ${message}`);
    }
  }
}

function jobIndex(task: AnyTask): string {
  return task.kind === 'task' ? `${task.shard}-${task.end}` : `${task.id}`;
}

function jobKey(kind: AnyTask['kind'], step: number, index: string): string {
  return `${kind}:${step}:${index}`;
}

function describe(task: AnyTask): string {
  if (task.kind === 'evalTask') return `${task.split} rows ${task.start}-${task.end}`;
  return task.end - task.shard === 1 ? `shard ${task.shard}` : `shards ${task.shard}-${task.end - 1}`;
}
