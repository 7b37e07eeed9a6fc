import { afterEach, describe, expect, it } from 'vitest';
import { Coordinator } from './coordinator.js';
import type { CoordinatorEvent } from './observer.js';
import { Cleanup, factored, quiet, RawPeer, tinyConfig, tinyData } from './test-helpers.js';

const data = tinyData();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function cleanHash(): Promise<string> {
  const c = cleanup.coordinator(
    await Coordinator.start({ config: tinyConfig(), data, inProcessWorkers: 1, ...quiet, ...factored }),
  );
  return (await c.run()).paramsSha256;
}

/** A coordinator with one honest in-process worker and one raw peer that has joined and said ready. */
async function withPeer(taskTimeoutMs: number) {
  const events: CoordinatorEvent[] = [];
  const c = cleanup.coordinator(
    await Coordinator.start({
      config: tinyConfig(),
      data,
      minWorkers: 2,
      inProcessWorkers: 1,
      taskTimeoutMs,
      observer: { onEvent: (e) => events.push(e) },
      ...quiet,
      ...factored,
    }),
  );
  const peer = cleanup.peer(new RawPeer(c.url));
  await peer.join('flaky', data.fingerprint);
  peer.send({ kind: 'ready' });
  return { c, peer, events };
}

describe('worker faults', () => {
  it('gives a lost worker’s micro-shards to the others and ends with the same weights', async () => {
    const expected = await cleanHash();
    const { c, peer, events } = await withPeer(30_000);
    const run = c.run();
    await peer.nextOf('task');
    peer.close();
    const result = await run;
    expect(result.paramsSha256).toBe(expected);
    expect(events.some((e) => e.type === 'lost' && e.worker.startsWith('flaky'))).toBe(true);
    expect(events.some((e) => e.type === 'reassign' && e.from.startsWith('flaky'))).toBe(true);
  });

  it('re-assigns tasks past their deadline when a worker stays connected but silent', async () => {
    const expected = await cleanHash();
    const { c, events } = await withPeer(100);
    const result = await c.run();
    expect(result.paramsSha256).toBe(expected);
    expect(events.some((e) => e.type === 'reassign' && e.reason === 'deadline')).toBe(true);
  });
});
