import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, readSummary, runCli, startCli, tempDir, workerNames } from './support/cli.js';
import { makeStar, netnsUnavailable, type Star } from './support/netns.js';

const unavailable = netnsUnavailable();
const SHORT = ['--iters', '60', '--eval-every', '30', '--seed', '5', '--quiet', '--backend', 'js'];

describe.skipIf(unavailable !== null)(
  `three hosts in network namespaces${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const out = tempDir();
    let star: Star;
    beforeAll(() => {
      star = makeStar(2);
    });
    afterAll(() => {
      star?.remove();
      out.remove();
    });
    afterEach(killAll);

    it('trains with the coordinator and two workers on separate hosts to the same weights as one process', async () => {
      const local = await runCli(['train', '--workers', '0', ...SHORT, '--out', out.path, '--name', 'local']);
      expect(local.code, local.stderr).toBe(0);
      writeFileSync(join(out.path, 'token'), 'netns-secret\n');
      const token = ['--token-file', join(out.path, 'token')];
      const c = startCli(
        [
          'coordinator',
          '--host',
          '0.0.0.0',
          '--port',
          '7071',
          '--min-workers',
          '2',
          ...token,
          ...SHORT,
          '--out',
          out.path,
          '--name',
          'hosts',
        ],
        {},
        star.hub,
      );
      await c.waitFor(/descent worker --connect/);
      const workers = star.leaves.map((leaf, i) =>
        startCli(
          [
            'worker',
            '--connect',
            `ws://${leaf.hubAddress}:7071`,
            '--backend',
            'js',
            '--name',
            `host${i + 1}`,
            ...token,
          ],
          {},
          leaf.ns,
        ),
      );
      const done = await c.done;
      expect(done.code, done.stderr).toBe(0);
      for (const w of workers) expect((await w.done).code).toBe(0);
      const summary = readSummary(join(out.path, 'hosts'));
      expect(summary.workers).toBe(2);
      expect(workerNames(summary)).toEqual(['host1', 'host2']);
      expect(summary.paramsSha256).toBe(readSummary(join(out.path, 'local')).paramsSha256);
    });

    it('refuses to bind a non-loopback address without a token', async () => {
      const run = await runCli(
        ['coordinator', '--host', '0.0.0.0', '--port', '0', ...SHORT, '--out', out.path],
        { DESCENT_TOKEN: '' },
      );
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/token/);
    });
  },
);
