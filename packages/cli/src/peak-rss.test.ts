import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { peakRssMb } from './peak-rss.js';

describe('peakRssMb', () => {
  it('reports a spawned process’s own peak, not its parent’s, when the parent has grown larger', () => {
    const ballast = Buffer.alloc(300 * 2 ** 20, 1); // the parent now holds 300 MB more than a fresh node
    // The built module: tests run after the build, and Node 20 cannot import TypeScript.
    const module = fileURLToPath(new URL('../dist/peak-rss.js', import.meta.url));
    const child = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `console.log((await import(${JSON.stringify(module)})).peakRssMb())`],
      { encoding: 'utf8' },
    );
    expect(ballast[0]).toBe(1);
    const childPeak = Number(child.stdout.trim());
    expect(childPeak).toBeGreaterThan(10);
    expect(childPeak).toBeLessThan(200);
    expect(peakRssMb()).toBeGreaterThan(300);
  });
});
