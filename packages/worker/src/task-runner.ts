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

/**
 * Runs training tasks in arrival order, one per macrotask: frames that arrived meanwhile are read first, so a
 * task whose step is already over (a backup copy another worker answered first) is skipped, not computed.
 * Each result is encoded at once (the engine's buffers are reused by the next task), then sent, held back
 * first when the worker plays a straggler on this step.
 */
export class TaskRunner {
  private readonly queue: { task: Task; at: number }[] = [];
  private scheduled = false;
  private heldStep = -1;
  private holdUntil = 0;
  private idleSince = performance.now();
  /** Result frames are gradient-sized every step: their buffers are reused. */
  private readonly frames = new FramePool();

  constructor(private readonly options: TaskRunnerOptions) {}

  push(task: Task): void {
    this.queue.push({ task, at: performance.now() });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  /** Applies a factored run's update at once: tasks still queued are of the step it ends, and are skipped. */
  update(update: Update): ReplayOutcome {
    const t0 = performance.now();
    const outcome = this.options.engine.replay(update);
    const t1 = performance.now();
    if (outcome === 'applied') {
      this.options.trace?.span('wait', this.idleSince, t0);
      this.options.trace?.span('replay', t0, t1, { step: update.step - 1 });
      this.idleSince = t1;
    }
    return outcome;
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
    const t0 = performance.now();
    trace?.span('wait', this.idleSince, t0);
    const result = engine.compute(task);
    const t1 = performance.now();
    const { frame, sent } = this.frames.encode(this.onWire(result));
    const t2 = performance.now();
    trace?.span('compute', t0, t1, {
      step: task.step,
      shards: `${task.shard}-${task.end - 1}`,
      rows: result.rows,
    });
    trace?.span('encode', t1, t2, { bytes: frame.byteLength });
    this.options.computed();
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
    // The coordinator is summing now: form the weights' gradient its update will bring meanwhile.
    const t3 = performance.now();
    if (engine.prepareUpdate()) {
      this.idleSince = performance.now();
      trace?.span('prepare', t3, this.idleSince, { step: task.step });
    }
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
