import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary, startCli, withReference } from './support/cli.js';
import { CuttableProxy } from './support/proxy.js';
import { untilSteps } from './support/run-files.js';

const RUN = ['--iters', '200', '--eval-every', '100000', '--seed', '13', '--quiet', '--backend', 'js'];

describe('a dropped connection', () => {
  const { out, reference } = withReference(RUN);

  it('is redialled by the worker with backoff, which continues training, and the weights are the same', async () => {
    const dir = join(out.path, 'cut');
    const c = startCli([
      'coordinator',
      '--port',
      '0',
      ...RUN,
      '--min-workers',
      '2',
      '--out',
      out.path,
      '--name',
      'cut',
    ]);
    const [, port] = await c.waitFor(/descent worker --connect ws:\/\/127\.0\.0\.1:(\d+)/);
    const proxy = await CuttableProxy.start(Number(port));
    try {
      startCli(['worker', '--connect', `ws://127.0.0.1:${port}`, '--backend', 'js', '--name', 'direct']);
      const flaky = startCli([
        'worker',
        '--connect',
        `ws://127.0.0.1:${proxy.port}`,
        '--backend',
        'js',
        '--name',
        'flaky',
      ]);
      await untilSteps(dir, 40);
      proxy.cut();
      await flaky.waitFor(/reconnecting/);
      const done = await c.done;
      expect(done.code, done.stderr).toBe(0);
      expect((await flaky.done).code).toBe(0);
      expect(proxy.connections).toBeGreaterThanOrEqual(2);
      const counts = readSummary(dir).shardsByWorker as Record<string, number>;
      const flakyRuns = Object.entries(counts).filter(([k]) => k.startsWith('flaky#'));
      expect(flakyRuns).toHaveLength(2);
      expect(flakyRuns[1][1]).toBeGreaterThan(0);
      expect(readSummary(dir).paramsSha256).toBe(reference());
    } finally {
      await proxy.close();
    }
  });
});
