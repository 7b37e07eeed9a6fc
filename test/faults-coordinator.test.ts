import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary, runCli, startCli, withReference } from './support/cli.js';
import { checkpointStep, freePort, until } from './support/run-files.js';

const RUN = ['--iters', '240', '--eval-every', '100000', '--seed', '5', '--quiet', '--backend', 'js'];

describe('a coordinator that dies or loses every worker', () => {
  const { out, reference } = withReference(RUN);

  it('continues a killed `descent train` with --resume from its last checkpoint to the same weights', async () => {
    const dir = join(out.path, 'train-killed');
    const first = startCli([
      'train',
      '--workers',
      '2',
      ...RUN,
      '--checkpoint-every',
      '40',
      '--out',
      out.path,
      '--name',
      'train-killed',
    ]);
    await until('a checkpoint at step 80 or later', () => checkpointStep(dir) >= 80);
    first.child.kill('SIGKILL');
    await first.done;
    const stoppedAt = checkpointStep(dir);
    expect(stoppedAt).toBeLessThan(240);
    const resumed = await runCli(['train', '--resume', dir, '--workers', '2', '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming .* at step ${stoppedAt}`));
    const summary = readSummary(dir);
    expect(summary.steps).toBe(240);
    expect(summary.paramsSha256).toBe(reference());
    // The loss figure covers the whole run, not only the resumed part: its iteration axis reaches 200.
    expect(readFileSync(join(dir, 'loss.svg'), 'utf8')).toMatch(/>200</);
  });

  it('continues a killed `descent coordinator` with --resume on the same port; its workers rejoin on their own', async () => {
    const port = String(await freePort());
    const dir = join(out.path, 'coordinator-killed');
    const args = ['coordinator', '--port', port, '--out', out.path, '--name', 'coordinator-killed'];
    const first = startCli([...args, ...RUN, '--checkpoint-every', '40', '--min-workers', '2']);
    const [, url] = await first.waitFor(/descent worker --connect (ws:\/\/\S+)/);
    const a = startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'a']);
    const b = startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'b']);
    await until('a checkpoint at step 80 or later', () => checkpointStep(dir) >= 80);
    first.child.kill('SIGKILL');
    await first.done;
    const second = startCli(['coordinator', '--port', port, '--resume', dir, '--quiet']);
    const done = await second.done;
    expect(done.code, done.stderr).toBe(0);
    expect((await a.done).code).toBe(0);
    expect((await b.done).code).toBe(0);
    expect(readSummary(dir).paramsSha256).toBe(reference());
  });

  it('waits for a worker when every one is lost, says so, and goes on when one joins within --patience', async () => {
    const dir = join(out.path, 'patient');
    const c = startCli([
      'coordinator',
      '--port',
      '0',
      ...RUN,
      '--patience',
      '120',
      '--out',
      out.path,
      '--name',
      'patient',
    ]);
    const [, url] = await c.waitFor(/descent worker --connect (ws:\/\/\S+)/);
    const only = startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'only']);
    await until('step 30', () => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').includes('"step":30,'));
    only.child.kill('SIGKILL');
    await c.waitFor(/no workers left at step \d+; keeping the run's state and waiting up to 120 s/);
    startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'back']);
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    expect(readSummary(dir).paramsSha256).toBe(reference());
  });

  it('stops cleanly with a checkpoint when no worker returns within --patience, and resumes from it to the same weights', async () => {
    const dir = join(out.path, 'impatient');
    const c = startCli([
      'coordinator',
      '--port',
      '0',
      ...RUN,
      '--patience',
      '1',
      '--out',
      out.path,
      '--name',
      'impatient',
    ]);
    const [, url] = await c.waitFor(/descent worker --connect (ws:\/\/\S+)/);
    const only = startCli(['worker', '--connect', url, '--backend', 'js', '--name', 'only']);
    await until('step 30', () => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').includes('"step":30,'));
    only.child.kill('SIGKILL');
    const stopped = await c.done;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(
      /no worker came back within 1 s at step \d+; stopped with a checkpoint in \S+checkpoint/,
    );
    expect(stopped.stderr).not.toMatch(/ {4}at /);
    const at = checkpointStep(dir);
    expect(at).toBeGreaterThanOrEqual(30);
    const second = startCli(['coordinator', '--port', '0', '--resume', dir, '--quiet']);
    const [, url2] = await second.waitFor(/descent worker --connect (ws:\/\/\S+)/);
    startCli(['worker', '--connect', url2, '--backend', 'js']);
    const done = await second.done;
    expect(done.code, done.stderr).toBe(0);
    expect(readSummary(dir).paramsSha256).toBe(reference());
  });

  it('refuses a truncated or corrupted checkpoint, naming the file, and leaves it as it was', async () => {
    const dir = join(out.path, 'reference');
    const model = join(dir, 'checkpoint', 'model.safetensors');
    const state = join(dir, 'checkpoint', 'state.json');
    const original = readFileSync(model);
    truncateSync(model, original.length - 100);
    const truncated = await runCli(['train', '--resume', dir, '--workers', '0', '--quiet']);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/model\.safetensors/);
    expect(truncated.stderr).not.toMatch(/ {4}at /);
    expect(readFileSync(model).length).toBe(original.length - 100);
    writeFileSync(model, original);
    const json = readFileSync(state, 'utf8');
    writeFileSync(state, json.slice(0, json.length / 2));
    const cut = await runCli(['train', '--resume', dir, '--workers', '0', '--quiet']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/state\.json/);
    writeFileSync(state, json);
  });
});
