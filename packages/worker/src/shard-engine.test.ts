import { shardRanges } from '@descent/core';
import type { Task, Update } from '@descent/protocol';
import { describe, expect, it } from 'vitest';
import { ShardEngine } from './shard-engine.js';
import { config, data, engine } from './test-fixtures.js';

/** Step `step`'s update, as a coordinator sums it from one worker's whole-batch node. */
function updateFrom(source: ShardEngine, step: number): Update {
  const indices = Int32Array.from({ length: config.batch }, (_, i) => (i * 7 + step * 5) % data.train.count);
  const task: Task = { kind: 'task', step, shard: 0, end: config.shards, indices };
  const result = source.compute(task);
  return {
    kind: 'update',
    step: step + 1,
    indices,
    factor: result.factor!.slice(),
    grad: result.grad.slice(),
    stats: result.stats.slice(),
  };
}

describe('ShardEngine in a factored run', () => {
  it('leaves the first layer as its factor in results: rows × width, and the gradient past the weights', () => {
    const e = engine();
    const ranges = shardRanges(config.batch, config.shards);
    const indices = Int32Array.from({ length: ranges[1].end }, (_, i) => i);
    const result = e.compute({ kind: 'task', step: 0, shard: 0, end: 2, indices });
    expect(result.factor?.length).toBe(ranges[1].end * 8);
    expect(result.grad.length).toBe(e.net.params.length - 16 * 8);
  });

  it('applies the next step, ignores a past one and reports missing ones, holding the parameters a replay gives', () => {
    const a = engine();
    const b = engine();
    const start = a.net.params.slice();
    const first = updateFrom(a, 0);
    expect(a.replay(first)).toBe('applied');
    expect(b.replay(first)).toBe('applied');
    expect(b.replay(first)).toBe('stale');
    expect(Buffer.from(b.net.params.buffer, b.net.params.byteOffset, b.net.params.byteLength)).toEqual(
      Buffer.from(a.net.params.buffer, a.net.params.byteOffset, a.net.params.byteLength),
    );
    expect(b.version).toBe(a.version);
    expect(b.net.params).not.toEqual(start);
    const third = { ...updateFrom(a, 2), step: 3 };
    const before = b.net.params.slice();
    expect(b.replay(third)).toBe('behind');
    expect(b.step).toBe(1);
    expect(b.net.params).toEqual(before);
  });

  it('prepares the update of a whole batch it computed, once, and applies it as an unprepared replay does', () => {
    const a = engine();
    const b = engine();
    const update = updateFrom(a, 0);
    expect(a.prepareUpdate()).toBe(true);
    expect(a.prepareUpdate()).toBe(false);
    expect(a.replay(update)).toBe('applied');
    expect(b.replay(update)).toBe('applied');
    expect(Buffer.from(a.net.params.buffer, a.net.params.byteOffset, a.net.params.byteLength)).toEqual(
      Buffer.from(b.net.params.buffer, b.net.params.byteOffset, b.net.params.byteLength),
    );
    const indices = Int32Array.from({ length: 6 }, (_, i) => i);
    a.compute({ kind: 'task', step: 1, shard: 0, end: 2, indices });
    expect(a.prepareUpdate()).toBe(false);
  });

  it("lists a task's next rows ahead, and computes the next task with the bits of one that lists them itself", () => {
    const [staging, plain] = [engine(), engine()];
    const rowsOf = (step: number) =>
      Int32Array.from({ length: config.batch }, (_, i) => (i * 11 + step * 3) % data.train.count);
    const update = updateFrom(engine(), 0);
    for (let step = 0; step < 3; step++) {
      // Step 1 names other rows as next than step 2 brings: the engine lists step 2's afresh.
      const next = step === 1 ? rowsOf(7) : rowsOf(step + 1);
      const task: Task = { kind: 'task', step, shard: 0, end: config.shards, indices: rowsOf(step), next };
      const results = [staging, plain].map((e) => e.compute(task));
      expect(
        Buffer.from(results[0].factor!.buffer, results[0].factor!.byteOffset, results[0].factor!.byteLength),
      ).toEqual(
        Buffer.from(results[1].factor!.buffer, results[1].factor!.byteOffset, results[1].factor!.byteLength),
      );
      expect(results[0].grad).toEqual(results[1].grad);
      expect(staging.stageNext(task)).toBe(true);
      expect(plain.stageNext({ ...task, next: undefined })).toBe(false);
      for (const e of [staging, plain]) e.replay({ ...update, step: step + 1, indices: rowsOf(step) });
    }
  });

  it('takes the optimizer state a welcome or resync sends: momentum carries on from it', () => {
    const fresh = engine();
    const warmed = engine();
    const start = fresh.net.params.slice();
    const velocity = Float32Array.from(start, (_, i) => ((i % 7) - 3) / 64);
    const update = updateFrom(engine(), 0);
    fresh.adopt(0, start, new Float32Array(0), 0);
    warmed.adopt(0, start, new Float32Array(0), 0, { scalars: {}, buffers: { v: velocity } });
    fresh.replay(update);
    warmed.replay(update);
    // v ← 0.9·v − η·g and W ← W + v: the warmed step moves each weight 0.9·v further.
    for (const i of [0, 5, 77, start.length - 1]) {
      expect(warmed.net.params[i] - fresh.net.params[i]).toBeCloseTo(0.9 * velocity[i], 5);
    }
  });

  it('refuses an update that does not fit the run and keeps its parameters', () => {
    const e = engine();
    const good = updateFrom(e, 0);
    const before = e.net.params.slice();
    expect(() => e.replay({ ...good, factor: new Float32Array(3) })).toThrow(/does not fit this run/);
    expect(() => e.replay({ ...good, indices: new Int32Array(12).fill(60) })).toThrow(/outside/);
    expect(e.net.params).toEqual(before);
    expect(e.step).toBe(0);
  });

  it('refuses updates when the run sends parameters', () => {
    const plain = new ShardEngine({ config, backend: 'js', data, fullHashEvery: 4 });
    expect(() => plain.replay(updateFrom(engine(), 0))).toThrow(/sends parameters/);
  });
});
