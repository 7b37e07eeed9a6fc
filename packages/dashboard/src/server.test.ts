import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardErrorCode } from './dashboard-error.js';
import { RunState } from './run-state.js';
import { DashboardServer } from './server.js';
import { runOptions, stepRecord } from './test-records.js';

const open: DashboardServer[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function serve(token?: string): Promise<{ server: DashboardServer; state: RunState }> {
  const state = new RunState(runOptions);
  const server = await DashboardServer.start({ state, token, flushMs: 50 });
  open.push(server);
  return { server, state };
}

describe('DashboardServer', () => {
  it('serves the page, its script and uPlot itself, so nothing comes from elsewhere', async () => {
    const { server } = await serve();
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/vendor/uPlot.esm.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const uplot = await fetch(new URL('/vendor/uPlot.esm.js', server.url));
    expect(uplot.status).toBe(200);
    expect(await uplot.text()).toContain('uPlot');
    expect((await fetch(new URL('/nope', server.url))).status).toBe(404);
  });

  it('answers /api/state with the run so far', async () => {
    const { server, state } = await serve();
    state.onStep(stepRecord(0, 2.5));
    const body = (await (await fetch(new URL('/api/state', server.url))).json()) as { loss: number[] };
    expect(body.loss).toEqual([2.5]);
  });

  it('streams a snapshot first, then deltas with only the new steps', async () => {
    const { server, state } = await serve();
    state.onStep(stepRecord(0, 2.5));
    const res = await fetch(new URL('/api/stream', server.url));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const messages: { kind: string; loss: number[] }[] = [];
    let buffered = '';
    state.onStep(stepRecord(1, 2.0));
    while (messages.length < 2) {
      const { value } = await reader.read();
      buffered += new TextDecoder().decode(value);
      const frames = buffered.split('\n\n');
      buffered = frames.pop() ?? '';
      for (const f of frames) {
        const data = f.split('\n').find((l) => l.startsWith('data: '));
        if (data) messages.push(JSON.parse(data.slice(6)));
      }
    }
    await reader.cancel();
    expect(messages[0]).toMatchObject({ kind: 'snapshot' });
    expect(messages[0].loss.length + messages[1].loss.length).toBe(2);
    expect(messages[1]).toMatchObject({ kind: 'delta' });
  });

  it('with a token, refuses requests without it and trades ?token= for a cookie', async () => {
    const { server } = await serve('s3cret');
    expect((await fetch(server.url)).status).toBe(401);
    expect((await fetch(`${server.url}?token=wrong`)).status).toBe(401);
    const traded = await fetch(`${server.url}?token=s3cret`, { redirect: 'manual' });
    expect(traded.status).toBe(303);
    expect(traded.headers.get('location')).toBe('/');
    const cookie = (traded.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).not.toContain('s3cret');
    expect((await fetch(server.url, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(server.url, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const state = new RunState(runOptions);
    await expect(DashboardServer.start({ state, host: '0.0.0.0' })).rejects.toMatchObject({
      code: DashboardErrorCode.tokenRequired,
    });
  });

  it('on loopback, refuses requests addressed to another host name (DNS rebinding)', async () => {
    const { server } = await serve();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
