import { type Hello, PROTOCOL_VERSION } from '@descent/protocol';
import { runWorker } from '@descent/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { Coordinator } from './coordinator.js';
import type { CoordinatorOptions } from './options.js';
import { Cleanup, quiet, RawPeer, tinyConfig, tinyData } from './test-helpers.js';

const data = tinyData();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const hello = (over: Partial<Hello> = {}): Hello => ({
  kind: 'hello',
  protocol: PROTOCOL_VERSION,
  backend: 'js',
  fingerprint: data.fingerprint,
  name: 'raw',
  ...over,
});

async function refusalFor(options: Partial<CoordinatorOptions>, message: Hello) {
  const c = cleanup.coordinator(
    await Coordinator.start({ config: tinyConfig(), data, ...quiet, ...options }),
  );
  const peer = cleanup.peer(new RawPeer(c.url));
  await peer.open();
  peer.send(message);
  const answer = await peer.next();
  await peer.closed;
  return answer;
}

describe('handshake refusals', () => {
  it('refuses a missing token when the coordinator has one', async () => {
    const answer = await refusalFor({ token: 's3cret' }, hello());
    expect(answer).toMatchObject({ kind: 'refused', code: 'DESCENT_ERR_MISSING_TOKEN' });
  });

  it('refuses a wrong token without echoing either token', async () => {
    const answer = await refusalFor({ token: 's3cret' }, hello({ token: 'guess' }));
    expect(answer).toMatchObject({ kind: 'refused', code: 'DESCENT_ERR_BAD_TOKEN' });
    expect(JSON.stringify(answer)).not.toMatch(/s3cret|guess/);
  });

  it('refuses another protocol version', async () => {
    const answer = await refusalFor({}, hello({ protocol: PROTOCOL_VERSION + 1 }));
    expect(answer).toMatchObject({ kind: 'refused', code: 'DESCENT_ERR_PROTOCOL_VERSION' });
  });

  it('refuses another kernel backend', async () => {
    const answer = await refusalFor({}, hello({ backend: 'wasm' }));
    expect(answer).toMatchObject({ kind: 'refused', code: 'DESCENT_ERR_BACKEND_MISMATCH' });
  });

  it('refuses a different data set fingerprint', async () => {
    const answer = await refusalFor({}, hello({ fingerprint: 'f'.repeat(64) }));
    expect(answer).toMatchObject({ kind: 'refused', code: 'DESCENT_ERR_FINGERPRINT_MISMATCH' });
  });

  it('refuses a worker without data when the data set is not served', async () => {
    const answer = await refusalFor({ serveDataset: false }, hello({ fingerprint: 'none' }));
    expect(answer).toMatchObject({ kind: 'refused', code: 'DESCENT_ERR_NO_DATASET' });
  });

  it('refuses a worker beyond maxWorkers', async () => {
    const answer = await refusalFor({ maxWorkers: 1, inProcessWorkers: 1 }, hello());
    expect(answer).toMatchObject({ kind: 'refused', code: 'DESCENT_ERR_RUN_FULL' });
  });

  it('admits the right token and rejects runWorker with the refusal code otherwise', async () => {
    const c = cleanup.coordinator(
      await Coordinator.start({ config: tinyConfig(), data, token: 'tok', ...quiet }),
    );
    await expect(runWorker({ url: c.url, data, token: 'nope', ...quiet })).rejects.toMatchObject({
      code: 'DESCENT_ERR_BAD_TOKEN',
    });
    const worker = runWorker({ url: c.url, data, token: 'tok', signal: cleanup.abort(), ...quiet });
    const result = await c.run();
    expect(result.steps).toBe(8);
    expect((await worker).reason).toBe('run finished');
  });
});
