import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readSummary, startCli, withReference } from './support/cli.js';
import { events, until, untilSteps } from './support/run-files.js';

// Long enough to hit a step in its middle, short enough for CI; no evaluation until the end.
const RUN = ['--iters', '200', '--eval-every', '100000', '--seed', '11', '--quiet', '--backend', 'js'];

async function coordinator(out: string, name: string, extra: string[] = []) {
  const c = startCli(['coordinator', '--port', '0', ...RUN, '--out', out, '--name', name, ...extra]);
  const [, url] = await c.waitFor(/descent worker --connect (ws:\/\/\S+)/);
  return { c, url, dir: join(out, name) };
}

const worker = (url: string, name: string) =>
  startCli(['worker', '--connect', url, '--backend', 'js', '--name', name]);

/** Shards a worker had accepted, over all its connections (`name#id` per connection). */
function shardsOf(runDir: string, name: string): number[] {
  const counts = readSummary(runDir).shardsByWorker as Record<string, number>;
  return Object.entries(counts)
    .filter(([k]) => k.startsWith(`${name}#`))
    .map(([, n]) => n);
}

describe('worker faults during a run', () => {
  const { out, reference } = withReference(RUN);

  it('gives the micro-shards of a worker killed in the middle of a step to another within the deadline, with the same weights', async () => {
    const { c, url, dir } = await coordinator(out.path, 'killed', ['--min-workers', '2']);
    worker(url, 'steady');
    const victim = worker(url, 'victim');
    await untilSteps(dir, 20);
    // Frozen first, so the step in progress is certainly waiting on the victim's shards when it dies.
    victim.child.kill('SIGSTOP');
    await sleep(300);
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    await c.waitFor(/shards? [\d-]+ moved from victim#\d+ to steady#\d+/, 30_000);
    const recoveredMs = Date.now() - killedAt;
    console.log(`killed worker: its shards were re-assigned ${recoveredMs} ms after SIGKILL`);
    expect(recoveredMs).toBeLessThan(10_000);
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    const lost = events(dir).filter((e) => e.event === 'lost' && String(e.worker).startsWith('victim#'));
    expect(lost).toHaveLength(1);
    expect(readSummary(dir).steps).toBe(200);
    expect(readSummary(dir).paramsSha256).toBe(reference());
  });

  it('treats a worker frozen past its deadline as lost, drops its late results, and takes it back after SIGCONT', async () => {
    const { c, url, dir } = await coordinator(out.path, 'frozen', [
      '--min-workers',
      '2',
      '--task-timeout',
      '3',
      '--worker-timeout',
      '5',
    ]);
    worker(url, 'steady');
    const frozen = worker(url, 'frozen');
    await untilSteps(dir, 20);
    frozen.child.kill('SIGSTOP');
    await c.waitFor(/moved from frozen#\d+ to steady#\d+ \(deadline\)/, 30_000);
    await c.waitFor(/worker frozen#\d+ lost/, 30_000);
    frozen.child.kill('SIGCONT');
    await until(
      'the frozen worker to rejoin',
      () =>
        events(dir).filter((e) => e.event === 'ready' && String(e.worker).startsWith('frozen#')).length >= 2,
      30_000,
    );
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    const fd = await frozen.done;
    expect(fd.code, fd.stderr + done.stderr).toBe(0);
    const shards = shardsOf(dir, 'frozen');
    expect(shards).toHaveLength(2);
    expect(shards[1]).toBeGreaterThan(0);
    expect(readSummary(dir).paramsSha256).toBe(reference());
  });

  it('gives a worker joining mid-run the current parameters and shards from the next step on, with the same weights', async () => {
    const { c, url, dir } = await coordinator(out.path, 'joined');
    worker(url, 'first');
    await untilSteps(dir, 30);
    const late = worker(url, 'late');
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    expect((await late.done).code).toBe(0);
    const ready = events(dir).find((e) => e.event === 'ready' && String(e.worker).startsWith('late#'));
    expect(ready).toBeDefined();
    expect(shardsOf(dir, 'late')[0]).toBeGreaterThan(0);
    expect(readSummary(dir).paramsSha256).toBe(reference());
  });
});
