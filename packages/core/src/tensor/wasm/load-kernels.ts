import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WasmBackendError, WasmBackendErrorCode } from './wasm-backend-error.js';

/**
 * The compiled kernels' bytes. The build (`pnpm --filter @descent/core build`) writes dist/kernels.wasm;
 * this module then runs as dist/tensor/wasm/load-kernels.js and finds it two directories up. When it runs
 * from source (tests import src/ directly), it uses the package's dist/kernels.wasm and first recompiles it,
 * synchronously, if it is missing or older than assembly/ or asconfig.json, so tests never see stale kernels.
 */
export function loadKernelBytes(): Uint8Array {
  const builtNextToUs = new URL('../../kernels.wasm', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) {
    if (!existsSync(builtNextToUs)) {
      throw new WasmBackendError(
        WasmBackendErrorCode.kernelsMissing,
        `wasm kernels not found at ${fileURLToPath(builtNextToUs)}: run 'pnpm --filter @descent/core build'`,
      );
    }
    return readFileSync(builtNextToUs);
  }
  const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const wasmPath = `${packageRoot}dist/kernels.wasm`;
  if (isStale(wasmPath, packageRoot)) compileKernels(packageRoot, wasmPath);
  return readFileSync(wasmPath);
}

function isStale(wasmPath: string, packageRoot: string): boolean {
  if (!existsSync(wasmPath)) return true;
  const built = statSync(wasmPath).mtimeMs;
  const sources = readdirSync(`${packageRoot}assembly`).map((name) => `${packageRoot}assembly/${name}`);
  sources.push(`${packageRoot}asconfig.json`);
  return sources.some((path) => statSync(path).mtimeMs > built);
}

function compileKernels(packageRoot: string, wasmPath: string): void {
  // A private temporary name, then an atomic rename: parallel test workers may compile at once.
  const temporary = `${wasmPath}.${process.pid}.tmp.wasm`;
  const asc = `${packageRoot}node_modules/assemblyscript/bin/asc.js`;
  const run = spawnSync(
    process.execPath,
    [asc, 'assembly/index.ts', '--config', 'asconfig.json', '--outFile', temporary],
    { cwd: packageRoot, encoding: 'utf8' },
  );
  if (run.status !== 0) {
    throw new WasmBackendError(
      WasmBackendErrorCode.kernelsBuildFailed,
      `compiling the wasm kernels failed (asc exit ${run.status}): ${run.stderr || run.error?.message}`,
    );
  }
  renameSync(temporary, wasmPath);
}
