import { join } from 'node:path';
import { encode, PROTOCOL_VERSION } from '@descent/protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { killAll, readSummary, startCli, tempDir } from './support/cli.js';

/** Sends one frame as a peer would and returns the first decoded-by-hand reply text (msgpack maps hold it as UTF-8). */
function exchange(url: string, frame: Uint8Array | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.send(frame));
    ws.on('message', (data: Buffer) => {
      resolve(data.toString('latin1'));
      ws.close();
    });
    ws.on('error', reject);
    ws.on('close', () => resolve(''));
  });
}

describe('the coordinator refuses a peer speaking another protocol version', () => {
  const out = tempDir();
  afterEach(killAll);
  beforeAll(() => () => out.remove());

  it('answers a hello with a wrong protocol version with a refusal naming both versions, and trains on', async () => {
    const c = startCli([
      'coordinator',
      '--port',
      '0',
      '--iters',
      '20',
      '--quiet',
      '--backend',
      'js',
      '--out',
      out.path,
      '--name',
      'v',
    ]);
    const [, url] = await c.waitFor(/descent worker --connect (ws:\/\/\S+)/);
    const reply = await exchange(
      url,
      encode({
        kind: 'hello',
        protocol: PROTOCOL_VERSION + 1,
        backend: 'js',
        fingerprint: 'none',
        name: 'future',
      }),
    );
    expect(reply).toMatch(/refused/);
    expect(reply).toMatch(/protocol/i);
    const w = startCli(['worker', '--connect', url, '--backend', 'js']);
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    expect((await w.done).code).toBe(0);
    expect(readSummary(join(out.path, 'v')).steps).toBe(20);
  });
});
