import { decode, type Result, type Task, type Update, WORKER_KINDS } from '@descent/protocol';
import { describe, expect, it } from 'vitest';
import type { ShardEngine } from './shard-engine.js';
import { TaskRunner } from './task-runner.js';
import { config, data, engine } from './test-fixtures.js';
import { TraceRecorder } from './trace-recorder.js';

const rowsOf = (step: number) =>
  Int32Array.from({ length: config.batch }, (_, i) => (i * 13 + step * 7) % data.train.count);

/** A runner over its own engine whose sent results are decoded into `sent`. */
function runner(): { runner: TaskRunner; engine: ShardEngine; sent: Result[]; trace: TraceRecorder } {
  const e = engine('wasm');
  const sent: Result[] = [];
  const trace = new TraceRecorder('test');
  const r = new TaskRunner({
    engine: e,
    send: (frame, done) => {
      const out = decode(frame, { accept: WORKER_KINDS });
      if (!out.ok || out.message.kind !== 'result') throw new Error('not a result');
      sent.push(out.message);
      done();
    },
    computed: () => {},
    wire: 'f32',
    trace,
  });
  return { runner: r, engine: e, sent, trace };
}

/** Step `step`'s update for the whole batch `rowsOf(step)`, as a coordinator sums it from `source`'s result. */
function updateOf(result: Result, step: number): Update {
  return {
    kind: 'update',
    step: step + 1,
    indices: rowsOf(step),
    factor: result.factor!,
    grad: result.grad,
    stats: result.stats,
  };
}

const task = (step: number, indices = rowsOf(step)): Task => ({
  kind: 'task',
  step,
  shard: 0,
  end: config.shards,
  indices,
  next: rowsOf(step + 1),
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TaskRunner in a factored run', () => {
  it('computes the task a task named as next once the update before it is applied, and sends it as that task comes', async () => {
    const { runner: r, engine: e, sent, trace } = runner();
    r.push(task(0));
    await settle();
    expect(sent).toHaveLength(1);
    r.update(updateOf(sent[0], 0));
    expect(e.step).toBe(1);
    r.push(task(1));
    // Sent at once, not on the next turn of the loop: it was computed when the update came.
    expect(sent).toHaveLength(2);
    const ahead = trace.spans.filter((s) => s.name === 'compute' && s.args?.ahead === 1);
    expect(ahead.map((s) => s.args?.step)).toEqual([1]);

    const fresh = engine('wasm');
    fresh.compute(task(0));
    fresh.replay(updateOf(sent[0], 0));
    const expected = fresh.compute(task(1));
    expect(sent[1].factor).toEqual(expected.factor);
    expect(sent[1].grad).toEqual(expected.grad);
    expect(sent[1].version).toBe(expected.version);
  });

  it('computes a task that is not the one named as next when it comes, with the bits of a runner that named none', async () => {
    const { runner: r, sent, trace } = runner();
    const { runner: plain, sent: plainSent } = runner();
    const other = rowsOf(9);
    for (const [run, out, named] of [
      [r, sent, true],
      [plain, plainSent, false],
    ] as const) {
      run.push(named ? task(0) : { ...task(0), next: undefined });
      await settle();
      run.update(updateOf(out[0], 0));
      run.push(task(1, other));
      expect(out).toHaveLength(1);
      await settle();
      expect(out).toHaveLength(2);
    }
    expect(sent[1].factor).toEqual(plainSent[1].factor);
    expect(sent[1].lossSum).toBe(plainSent[1].lossSum);
    expect(trace.spans.filter((s) => s.name === 'compute')).toHaveLength(3);
  });
});
