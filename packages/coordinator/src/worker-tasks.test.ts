import { buildNet, createBackend } from '@descent/core';
import {
  decode,
  encode,
  type Message,
  paramVersion,
  type Update,
  type Welcome,
  WORKER_KINDS,
  type WorkerMessage,
} from '@descent/protocol';
import { runWorker, ShardEngine } from '@descent/worker';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { quiet, tinyConfig, tinyData } from './test-helpers.js';

const config = tinyConfig({ batch: 12, shards: 4 });
const data = tinyData();

/**
 * A coordinator played by hand: welcomes one worker (`welcome` adds to or overrides the fields), passes every
 * message it sends to `answer`, and stops the worker at its first result. Resolves with all it sent.
 */
async function withFakeCoordinator(
  welcome: Partial<Welcome>,
  answer: (message: WorkerMessage, send: (message: Message) => void) => void,
): Promise<WorkerMessage[]> {
  const net = buildNet(config.model, createBackend('js'), config.seed, 1);
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  const seen: WorkerMessage[] = [];
  const abort = new AbortController();
  server.on('connection', (socket) => {
    const send = (message: Message) => socket.send(encode(message));
    socket.on('message', (frame) => {
      const out = decode(frame, { accept: WORKER_KINDS });
      if (!out.ok) throw out.error;
      seen.push(out.message);
      if (out.message.kind === 'hello') {
        send({
          kind: 'welcome',
          workerId: 1,
          config,
          backend: 'js',
          step: 0,
          version: 0,
          fullHashEvery: 1,
          params: net.params,
          stats: net.stats,
          fingerprint: data.fingerprint,
          datasetOffered: false,
          heartbeatMs: 60_000,
          ...welcome,
        });
      }
      answer(out.message, send);
      if (out.message.kind === 'result') abort.abort();
    });
  });
  await runWorker({ url: `ws://127.0.0.1:${port}`, data, signal: abort.signal, ...quiet });
  server.close();
  return seen;
}

describe('a worker given a malformed task', () => {
  it('answers a range of shards that is not a tree node, or indices or next rows that do not fit it, with an error and keeps computing', async () => {
    const seen = await withFakeCoordinator({}, (m, send) => {
      if (m.kind !== 'ready') return;
      const indices = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
      const task = { kind: 'task', step: 0 } as const;
      send({ ...task, shard: 1, end: 3, indices: indices(6) });
      send({ ...task, shard: 0, end: 2, indices: indices(5) });
      send({ ...task, shard: 0, end: 2, indices: indices(6), next: indices(5) });
      send({ ...task, shard: 0, end: 2, indices: indices(6), next: indices(6).fill(data.train.count) });
      send({ ...task, shard: 2, end: 4, indices: indices(6), next: indices(6) });
    });
    const errors = seen.flatMap((m) => (m.kind === 'error' ? [m.message] : []));
    expect(errors).toEqual([
      expect.stringContaining('not a node'),
      expect.stringContaining('hold 6 rows, but 5 indices'),
      expect.stringContaining('name 5 next rows for 6 rows'),
      expect.stringContaining(`next index ${data.train.count} is outside`),
    ]);
    const results = seen.filter((m) => m.kind === 'result');
    expect(results).toMatchObject([{ shard: 2, end: 4, rows: 6 }]);
  });
});

describe('a worker in a factored run that missed updates', () => {
  it('asks for the parameters once, takes them with the optimizer state, and follows the updates after them', async () => {
    const net = buildNet(config.model, createBackend('js'), config.seed, 1);
    const optimizer = { scalars: {}, buffers: { v: new Float32Array(net.params.length).fill(0.001) } };
    const update = (step: number): Update => ({
      kind: 'update',
      step,
      indices: Int32Array.from({ length: 12 }, (_, i) => (i * 7 + step) % data.train.count),
      factor: new Float32Array(12 * 12).fill(0.01),
      grad: new Float32Array(net.params.length - 16 * 12).fill(0.02),
      stats: new Float32Array(0),
    });
    // What the worker should hold: the parameters of step 4 and the optimizer state, then update 5 applied.
    const mirror = new ShardEngine({ config, backend: 'js', data, fullHashEvery: 1, factored: true });
    mirror.adopt(4, net.params, net.stats, 0, optimizer);
    mirror.replay(update(5));
    const welcome = { version: paramVersion(net.params, 0, 1), factored: true, optimizer };
    const seen = await withFakeCoordinator(welcome, (m, send) => {
      // Steps 3 and 4 skip ahead of the worker's step 0: it is behind.
      if (m.kind === 'ready') for (const step of [3, 4]) send(update(step));
      if (m.kind === 'resync') {
        const version = paramVersion(net.params, 4, 1);
        send({ kind: 'params', step: 4, version, params: net.params, stats: net.stats, optimizer });
        send(update(5));
        send({ kind: 'task', step: 5, shard: 0, end: 4, indices: update(5).indices });
      }
    });
    expect(seen.filter((m) => m.kind === 'resync')).toEqual([{ kind: 'resync', step: 3 }]);
    expect(seen.filter((m) => m.kind === 'result')).toMatchObject([{ step: 5, version: mirror.version }]);
  });
});
