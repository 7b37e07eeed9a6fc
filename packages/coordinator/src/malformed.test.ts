import { encode, type Message, type Result } from '@descent/protocol';
import { runWorker } from '@descent/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { Coordinator } from './coordinator.js';
import type { CoordinatorEvent } from './observer.js';
import { Cleanup, factored, quiet, RawPeer, tinyConfig, tinyData } from './test-helpers.js';

const data = tinyData();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());
/** Encodes any value as msgpack, bypassing the types, to forge malformed messages. */
const forge = (value: unknown) => encode(value as Message);

const garbage: [string, Uint8Array | string][] = [
  ['random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 255)],
  ['invalid msgpack', Uint8Array.from([0x92, 0x01])],
  ['msgpack of the wrong shape', forge({ kind: 'hello', protocol: 'one' })],
  ['an unknown kind', forge({ kind: 'launch' })],
  ['a text frame', 'hello'],
];

describe('malformed input', () => {
  it.each(garbage)(
    'answers %s before hello with a refusal and stays up for real workers',
    async (_, frame) => {
      const c = cleanup.coordinator(
        await Coordinator.start({ config: tinyConfig({ iters: 2 }), data, ...quiet, ...factored }),
      );
      const peer = cleanup.peer(new RawPeer(c.url));
      await peer.open();
      peer.sendRaw(frame);
      const answer = await peer.next();
      expect(answer.kind).toBe('refused');
      await peer.closed;
      const worker = runWorker({ url: c.url, data, signal: cleanup.abort(), ...quiet });
      expect((await c.run()).steps).toBe(2);
      await worker;
    },
  );

  it('answers garbage from a joined worker with an error message and keeps the link', async () => {
    const c = cleanup.coordinator(
      await Coordinator.start({ config: tinyConfig(), data, ...quiet, ...factored }),
    );
    const peer = cleanup.peer(new RawPeer(c.url));
    await peer.join('raw', data.fingerprint);
    for (const [, frame] of garbage) {
      peer.sendRaw(frame);
      const answer = await peer.nextOf('error');
      expect(answer.code).toMatch(/^DESCENT_ERR_/);
    }
    peer.send({ kind: 'heartbeat', at: 1 });
    expect(peer.socket.readyState).toBe(peer.socket.OPEN);
  });

  it('drops NaN, wrong-length, unassigned and wrong-version results, and the weights match a clean run', async () => {
    const clean = cleanup.coordinator(
      await Coordinator.start({ config: tinyConfig(), data, inProcessWorkers: 1, ...quiet, ...factored }),
    );
    const expected = (await clean.run()).paramsSha256;

    const events: CoordinatorEvent[] = [];
    const c = cleanup.coordinator(
      await Coordinator.start({
        config: tinyConfig(),
        data,
        minWorkers: 2,
        inProcessWorkers: 1,
        observer: { onEvent: (e) => events.push(e) },
        ...quiet,
        ...factored,
      }),
    );
    const peer = cleanup.peer(new RawPeer(c.url));
    const welcome = await peer.join('evil', data.fingerprint);
    peer.send({ kind: 'ready' });
    const run = c.run();
    const paramCount = welcome.params.length;
    let n = 0;
    // The version of the parameters last sent whole: right for the steps they are of.
    let version = welcome.version;
    const sabotage = async () => {
      for (;;) {
        const m = await peer.next();
        if (m.kind === 'bye') return;
        if (m.kind === 'params') version = m.version;
        if (m.kind !== 'task') continue;
        const base: Result = {
          kind: 'result',
          step: m.step,
          shard: m.shard,
          end: m.end,
          version,
          grad: new Float32Array(paramCount),
          stats: new Float32Array(0),
          lossSum: 1,
          correct: 0,
          rows: m.indices.length,
          computeMs: 1,
        };
        const variants: Result[] = [
          { ...base, grad: new Float32Array(paramCount).fill(Number.NaN) },
          { ...base, grad: new Float32Array(paramCount + 1) },
          { ...base, shard: m.shard + 100, end: m.end + 100 },
          { ...base, version: (version + 1) >>> 0 },
        ];
        peer.socket.send(encode(variants[n++ % variants.length]));
      }
    };
    void sabotage();
    const result = await run;
    expect(result.paramsSha256).toBe(expected);
    const codes = new Set(events.flatMap((e) => (e.type === 'rejected' ? [e.code] : [])));
    expect(codes.has('DESCENT_ERR_BAD_RESULT')).toBe(true);
    expect(events.some((e) => e.type === 'desync' || e.type === 'lost' || e.type === 'leave')).toBe(true);
  });
});
