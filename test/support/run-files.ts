import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Lines of a run's metrics.jsonl written so far (a partial last line is skipped). */
export function metrics(runDir: string): Record<string, unknown>[] {
  const file = join(runDir, 'metrics.jsonl');
  if (!existsSync(file)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      if (line) out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // the line being written
    }
  }
  return out;
}

/** Coordinator events (join, ready, lost, reassign, …) recorded in metrics.jsonl. */
export function events(runDir: string): Record<string, unknown>[] {
  return metrics(runDir).filter((m) => m.type === 'event');
}

/** Polls until `check` holds, or fails after `timeoutMs` saying what it waited for. */
export async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits until the run has recorded at least `n` steps. */
export function untilSteps(runDir: string, n: number, timeoutMs?: number): Promise<void> {
  return until(
    `${n} steps in ${runDir}`,
    () => metrics(runDir).filter((m) => m.type === 'step').length >= n,
    timeoutMs,
  );
}

/** The step of the checkpoint in `runDir/checkpoint`, or -1 while there is none. */
export function checkpointStep(runDir: string): number {
  try {
    return (JSON.parse(readFileSync(join(runDir, 'checkpoint', 'state.json'), 'utf8')) as { step: number })
      .step;
  } catch {
    return -1;
  }
}

/** A port free right now on 127.0.0.1, for a coordinator that must come back on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
