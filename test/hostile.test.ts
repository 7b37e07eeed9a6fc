import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { COORDINATOR_KINDS, decode, encode, PROTOCOL_VERSION } from '@descent/protocol';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readSummary, startCli, withReference } from './support/cli.js';
import { badOpening, FuzzRng, malformedFrame } from './support/fuzz.js';
import { events, until } from './support/run-files.js';

const RUN = ['--iters', '600', '--eval-every', '100000', '--seed', '19', '--quiet', '--backend', 'js'];
const PARAMS = 784 * 50 + 50 + 50 * 10 + 10;
/** A factored run's results carry the gradient past W1, and the first layer's factor of 50 columns. */
const REST = PARAMS - 784 * 50;
const WIDTH = 50;

interface Peer {
  socket: WebSocket;
  closed: Promise<number>;
  first: Promise<string>;
  tasks: { step: number; shard: number; end: number; rows: number }[];
  /** Parameter versions by step, from the welcome and params messages. */
  versions: Map<number, number>;
  factored: boolean;
}

function peer(url: string): Peer {
  const socket = new WebSocket(url, { maxPayload: 256 * 1024 * 1024 });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const first = new Promise<string>((resolve) => {
    socket.once('message', (data: Buffer) => {
      const m = decode(data, { accept: COORDINATOR_KINDS });
      resolve(m.ok ? m.message.kind : 'undecodable');
    });
    socket.once('close', () => resolve('closed'));
  });
  const p: Peer = { socket, closed, first, tasks: [], versions: new Map(), factored: false };
  socket.on('message', (data: Buffer) => {
    const m = decode(data, { accept: COORDINATOR_KINDS });
    if (!m.ok) return;
    const message = m.message;
    if (message.kind === 'task') {
      const { step, shard, end, indices } = message;
      p.tasks.push({ step, shard, end, rows: indices.length });
    }
    if (message.kind === 'welcome' || message.kind === 'params')
      p.versions.set(message.step, message.version);
    if (message.kind === 'welcome') p.factored = message.factored === true;
  });
  return p;
}

const opened = (p: Peer) =>
  new Promise<boolean>((resolve) => {
    p.socket.once('open', () => resolve(true));
    p.socket.once('close', () => resolve(false));
  });

describe('hostile and broken input to a live coordinator', () => {
  const { out, reference } = withReference(RUN);

  it('refuses thousands of malformed frames, floods, oversized frames and surplus connections, and the weights are unharmed', async () => {
    const dir = join(out.path, 'fuzzed');
    const c = startCli([
      'coordinator',
      '--port',
      '0',
      ...RUN,
      '--out',
      out.path,
      '--name',
      'fuzzed',
      '--max-workers',
      '4',
      '--task-timeout',
      '5',
    ]);
    const [, url] = await c.waitFor(/descent worker --connect (ws:\/\/\S+)/);
    const port = Number(new URL(url).port);
    const fingerprint = (
      JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { data: { fingerprint: string } }
    ).data.fingerprint;
    const honest = startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'honest']);
    await until('the honest worker to be ready', () =>
      events(dir).some((e) => e.event === 'ready' && String(e.worker).startsWith('honest#')),
    );
    let running = true;
    void c.done.then(() => {
      running = false;
    });
    const rng = new FuzzRng(2024);
    let inputs = 0;
    const refusals = new Set<string>();

    // Not a WebSocket at all.
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => s.end(rng.bytes(1 + rng.int(500))));
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
      });
      inputs++;
    }
    // An oversized frame is cut off by the frame limit (close 1009), as is a flood by the rate limit (1008).
    const big = peer(url);
    await opened(big);
    big.socket.send(
      encode({ kind: 'hello', protocol: PROTOCOL_VERSION, backend: 'js', fingerprint, name: 'big' }),
    );
    await big.first;
    big.socket.send(new Uint8Array(64 * 1024 * 1024 + 1));
    expect(await big.closed).toBe(1009);
    inputs++;
    const flood = peer(url);
    await opened(flood);
    flood.socket.send(
      encode({ kind: 'hello', protocol: PROTOCOL_VERSION, backend: 'js', fingerprint, name: 'flood' }),
    );
    await flood.first;
    for (let i = 0; i < 20_000; i++) flood.socket.send(encode({ kind: 'heartbeat', at: i }));
    inputs += 20_000;
    expect(await flood.closed).toBe(1008);
    // More connections than --max-workers.
    const crowd = Array.from({ length: 5 }, () => peer(url));
    await Promise.all(crowd.map(opened));
    for (const p of crowd)
      p.socket.send(
        encode({ kind: 'hello', protocol: PROTOCOL_VERSION, backend: 'js', fingerprint, name: 'crowd' }),
      );
    const answers = await Promise.all(crowd.map((p) => p.first));
    expect(answers).toContain('refused');
    for (const p of crowd) p.socket.terminate();

    // Then malformed openings and joined peers sending malformed frames, until the run ends.
    let fuzzed = 0;
    let poisoned = 0;
    while (running && fuzzed < 3000) {
      const p = peer(url);
      if (!(await opened(p))) continue;
      if (rng.int(4) === 0) {
        p.socket.send(badOpening(rng, fingerprint));
        inputs++;
        fuzzed++;
        const answer = await p.first;
        if (answer !== 'closed') refusals.add(answer);
        p.socket.terminate();
        continue;
      }
      p.socket.send(
        encode({
          kind: 'hello',
          protocol: PROTOCOL_VERSION,
          backend: 'js',
          fingerprint,
          name: `fuzz-${fuzzed}`,
        }),
      );
      const answer = await p.first;
      if (answer === 'welcome') {
        if (rng.int(2) === 0) {
          p.socket.send(encode({ kind: 'ready' }));
          // Answer a real assignment with poison: NaN or Inf in an otherwise well-formed gradient. A task does
          // not say which parameters it is for, so ask for them (the step is held open by the peer's task).
          await new Promise((resolve) => setTimeout(resolve, 30));
          for (const t of p.tasks.splice(0)) {
            p.socket.send(encode({ kind: 'resync', step: t.step }));
            for (let waited = 0; !p.versions.has(t.step) && running && waited < 2000; waited += 10) {
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            const version = p.versions.get(t.step);
            if (version === undefined) continue;
            const length = p.factored ? REST : PARAMS;
            const grad = new Float32Array(length);
            grad[rng.int(length)] = rng.pick([Number.NaN, Number.POSITIVE_INFINITY]);
            p.socket.send(
              encode({
                kind: 'result',
                ...t,
                version,
                grad,
                stats: new Float32Array(0),
                lossSum: 1,
                correct: 0,
                computeMs: 1,
                ...(p.factored ? { factor: new Float32Array(t.rows * WIDTH) } : {}),
              }),
            );
            inputs++;
            fuzzed++;
            poisoned++;
          }
        }
        for (let k = 0; k < 12 && p.socket.readyState === WebSocket.OPEN; k++) {
          p.socket.send(malformedFrame(rng, PARAMS, rng.int(300)));
          inputs++;
          fuzzed++;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      p.socket.terminate();
    }
    console.log(
      `fuzz: ${inputs} hostile inputs sent (${fuzzed} generated malformed frames, ${poisoned} NaN/Inf answers to real tasks) during the run`,
    );
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    expect((await honest.done).code).toBe(0);
    expect(readSummary(dir).paramsSha256).toBe(reference());
    expect(fuzzed).toBeGreaterThan(1000);
    expect(poisoned).toBeGreaterThan(0);
    expect(done.stderr).toMatch(/not valid msgpack/);
    expect(done.stderr).toMatch(
      /rejected a result from fuzz-\d+#\d+ at step \d+: gradient value \d+ is (NaN|Infinity)/,
    );
  });
});
