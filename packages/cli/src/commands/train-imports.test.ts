import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built modules (`pnpm test` builds first): their static imports are what Node loads before a command runs.
const packages = fileURLToPath(new URL('../../../', import.meta.url));
const STATIC = /^(?:import|export)\s(?:[^;]*?\sfrom\s)?'([^']+)';/gm;

/** The workspace packages a built module reaches through static imports alone. */
function packagesReached(entry: string): Set<string> {
  const seen = new Set<string>();
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (specifier.startsWith('@descent/')) {
        reached.add(specifier);
        visit(join(packages, specifier.slice('@descent/'.length), 'dist', 'index.js'));
      }
    }
  };
  visit(join(packages, 'cli', 'dist', 'commands', entry));
  return reached;
}

describe('what a command loads before it runs', () => {
  it('train loads neither the coordinator nor the dashboard before it spawns its workers', () => {
    const reached = packagesReached('train.js');
    expect(reached).toContain('@descent/core');
    expect(reached).not.toContain('@descent/coordinator');
    expect(reached).not.toContain('@descent/dashboard');
  });

  it('coordinator loads the coordinator up front (the walk sees through packages)', () => {
    expect(packagesReached('coordinator.js')).toContain('@descent/coordinator');
  });
});
