import { sameBits } from '@descent/core';
import { FramePool, type GradWire, packHalf, type Result, type Task, type Update } from '@descent/protocol';
import type { ReplayOutcome, ShardEngine } from './shard-engine.js';
import type { Straggler } from './straggler.js';
import type { TraceRecorder } from './trace-recorder.js';

export interface TaskRunnerOptions {
  readonly engine: ShardEngine;
  /** Sends one encoded frame to the coordinator, then calls `sent` once its bytes are no longer needed. */
  readonly send: (frame: Uint8Array, sent: () => void) => void;
  /** Called once per micro-shard computed. */
  readonly computed: () => void;
  readonly wire: GradWire;
  readonly straggler?: Straggler;
  readonly trace?: TraceRecorder;
}

/** A task's result computed before the task came, from the rows the task before it named as next. */
interface Ahead {
  readonly task: Task;
  /** The parameters it was computed with: a resync since then makes it void. */
  readonly version: number;
  readonly frame: Uint8Array;
  readonly sent: () => void;
}

/**
 * Runs training tasks in arrival order, one per macrotask: frames that arrived meanwhile are read first, so a
 * task whose step is already over (a backup copy another worker answered first) is skipped, not computed.
 * Each result is encoded at once (the engine's buffers are reused by the next task), then sent, held back
 * first when the worker plays a straggler on this step.
 *
 * In a factored run a task names the rows its node covers at the next step (`Task.next`). The coordinator
 * sends the update before the next step's task, so once the update is applied the runner computes that
 * presumed task at once, and sends its result the moment the real task arrives and matches it: the task's
 * trip is then off the step's critical path. A task that does not match is computed as it comes.
 */
export class TaskRunner {
  private readonly queue: { task: Task; at: number }[] = [];
  private scheduled = false;
  private heldStep = -1;
  private holdUntil = 0;
  private idleSince = performance.now();
  /** Result frames are gradient-sized every step: their buffers are reused. */
  private readonly frames = new FramePool();
  /** The task the last one named as next (its `indices` a buffer of ours), until the update before it. */
  private presumed: Task | null = null;
  private presumedRows = new Int32Array(0);
  private ahead: Ahead | null = null;

  constructor(private readonly options: TaskRunnerOptions) {}

  push(task: Task): void {
    const ahead = this.ahead;
    if (ahead !== null) {
      this.ahead = null;
      if (sameTask(ahead.task, task) && ahead.version === this.options.engine.version) {
        this.options.computed();
        this.transmit(ahead.frame, ahead.sent, task);
        this.afterSend(task);
        return;
      }
      ahead.sent();
    }
    this.queue.push({ task, at: performance.now() });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  /**
   * Applies a factored run's update at once: tasks still queued are of the step it ends, and are skipped.
   * Then computes the presumed next task, if the last one named it.
   */
  update(update: Update): ReplayOutcome {
    const t0 = performance.now();
    const outcome = this.options.engine.replay(update);
    const t1 = performance.now();
    if (outcome === 'applied') {
      this.options.trace?.span('wait', this.idleSince, t0);
      this.options.trace?.span('replay', t0, t1, { step: update.step - 1 });
      this.idleSince = t1;
      this.computeAhead();
    }
    return outcome;
  }

  private computeAhead(): void {
    const task = this.presumed;
    this.presumed = null;
    if (task === null || task.step !== this.options.engine.step || this.queue.length > 0) return;
    const { frame, sent } = this.computeAndEncode(task, true);
    this.ahead = { task, version: this.options.engine.version, frame, sent };
    this.idleSince = performance.now();
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    const next = this.queue.shift();
    if (next) this.run(next.task, next.at);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  };

  private run(task: Task, arrived: number): void {
    const { engine, trace, straggler } = this.options;
    if (task.step < engine.step) return;
    if (straggler && task.step !== this.heldStep) {
      this.heldStep = task.step;
      this.holdUntil = arrived + straggler.delayFor(task.step);
    }
    trace?.span('wait', this.idleSince, performance.now());
    const { frame, sent } = this.computeAndEncode(task, false);
    this.options.computed();
    const t2 = performance.now();
    const hold = this.holdUntil - t2;
    if (straggler && hold > 0) {
      setTimeout(() => {
        const t3 = performance.now();
        trace?.span('straggle', t2, t3, { step: task.step });
        this.transmit(frame, sent, task);
      }, hold);
      this.idleSince = t2;
      return;
    }
    this.transmit(frame, sent, task);
    this.afterSend(task);
  }

  private computeAndEncode(task: Task, ahead: boolean): { frame: Uint8Array; sent: () => void } {
    const trace = this.options.trace;
    const t0 = performance.now();
    const result = this.options.engine.compute(task);
    const t1 = performance.now();
    const pooled = this.frames.encode(this.onWire(result));
    const t2 = performance.now();
    trace?.span('compute', t0, t1, {
      step: task.step,
      shards: `${task.shard}-${task.end - 1}`,
      rows: result.rows,
      ...(ahead ? { ahead: 1 } : {}),
    });
    trace?.span('encode', t1, t2, { bytes: pooled.frame.byteLength });
    return pooled;
  }

  /**
   * The coordinator is summing now: forms the weights' gradient its update will bring, lists the next
   * step's rows, and presumes the next task over them (a straggler computes nothing ahead).
   */
  private afterSend(task: Task): void {
    const { engine, trace } = this.options;
    const t0 = performance.now();
    if (engine.prepareUpdate()) {
      this.idleSince = performance.now();
      trace?.span('prepare', t0, this.idleSince, { step: task.step });
    }
    const t1 = performance.now();
    if (engine.stageNext(task)) {
      this.idleSince = performance.now();
      trace?.span('stage', t1, this.idleSince, { step: task.step + 1 });
    }
    this.presume(task);
  }

  private presume(task: Task): void {
    this.presumed = null;
    const rows = task.next;
    if (rows === undefined || this.options.straggler) return;
    if (this.presumedRows.length < rows.length) this.presumedRows = new Int32Array(rows.length);
    const indices = this.presumedRows.subarray(0, rows.length);
    indices.set(rows);
    this.presumed = { kind: 'task', step: task.step + 1, shard: task.shard, end: task.end, indices };
  }

  private transmit(frame: Uint8Array, sent: () => void, task: Task): void {
    const t0 = performance.now();
    this.options.send(frame, sent);
    const t1 = performance.now();
    this.options.trace?.span('send', t0, t1, { step: task.step, shards: `${task.shard}-${task.end - 1}` });
    this.idleSince = t1;
  }

  private onWire(result: Result): Result {
    const wire = this.options.wire;
    if (wire === 'f32') return result;
    return { ...result, grad: EMPTY, half: { codec: wire, bytes: packHalf(wire, result.grad) } };
  }
}

const EMPTY = new Float32Array(0);

function sameTask(a: Task, b: Task): boolean {
  return a.step === b.step && a.shard === b.shard && a.end === b.end && sameBits(a.indices, b.indices);
}
