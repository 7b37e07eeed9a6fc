import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunOutcome } from './run-one.js';
import { configLabel, type ScaleConfig } from './scale-config.js';

const runOneScript = fileURLToPath(new URL('./run-one.js', import.meta.url));

/** Runs one configuration in a fresh Node process (which starts its own fresh workers). */
export function runInChild(config: ScaleConfig): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runOneScript, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as RunOutcome);
      else reject(new Error(`${configLabel(config)} failed (exit ${code}): ${err.trim().slice(-600)}`));
    });
  });
}

/** Runs the configurations one after the other (never two at once: they would share the cores). */
export async function runSweep(
  configs: readonly ScaleConfig[],
  progress: (done: number, outcome: RunOutcome) => void,
): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  for (const config of configs) {
    const outcome = await runInChild(config);
    outcomes.push(outcome);
    progress(outcomes.length, outcome);
  }
  return outcomes;
}
