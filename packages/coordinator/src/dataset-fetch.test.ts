import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@descent/core';
import { runWorker } from '@descent/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { Coordinator } from './coordinator.js';
import { Cleanup, factored, quiet, tinyConfig, tinyData } from './test-helpers.js';

const data = tinyData();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('data set transfer', () => {
  it('sends the data set to a worker with an empty cache, which caches it and trains to the same weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-cache-'));
    try {
      const local = cleanup.coordinator(
        await Coordinator.start({ config: tinyConfig(), data, inProcessWorkers: 1, ...quiet, ...factored }),
      );
      const expected = (await local.run()).paramsSha256;
      const c = cleanup.coordinator(
        await Coordinator.start({ config: tinyConfig(), data, ...quiet, ...factored }),
      );
      const worker = runWorker({ url: c.url, cacheDir: dir, signal: cleanup.abort(), ...quiet });
      const result = await c.run();
      await worker;
      expect(result.paramsSha256).toBe(expected);
      expect(readdirSync(dir).length).toBe(4);
      expect(loadMnist(dir).fingerprint).toBe(data.fingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
