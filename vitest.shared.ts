import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests import workspace packages from source, so a test run never depends on a stale build.
export const sharedConfig = defineConfig({
  resolve: {
    alias: {
      '@descent/core': src('core'),
      '@descent/protocol': src('protocol'),
      '@descent/plots': src('plots'),
      '@descent/coordinator': src('coordinator'),
      '@descent/worker': src('worker'),
      '@descent/dashboard': src('dashboard'),
    },
  },
  test: {
    include: ['src/**/*.test.ts', '*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
