import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface NumpyRun {
  readonly steps: number;
  readonly trainSeconds: number;
  readonly wallSeconds: number;
  readonly stepsPerSecond: number;
  readonly finalTestAcc: number;
  readonly finalTrainAcc: number;
  readonly numpy: string;
  /** Whole-process wall time as seen from here (interpreter start and imports included). */
  readonly processSeconds: number;
}

const script = fileURLToPath(new URL('../../../../bench/numpy_seed.py', import.meta.url));

/** Why the numpy comparison can't run here, or null when python3 with numpy is present. */
export function numpyUnavailable(): string | null {
  const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not installed (${probe.error.message})`;
  if (probe.status !== 0) return 'python3 has no numpy (pip install numpy)';
  return null;
}

/**
 * The seed recipe in numpy (bench/numpy_seed.py). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for it: some
 * machines set them to work around old OpenBLAS builds, and they slow a current numpy down. BLAS runs on one
 * thread: at batch 100 a second thread gains numpy ~5% on an idle machine, but on a shared one its spinning
 * threads lose 10-20× (measured 94 vs 1,650 steps/s), which would flatter every ratio against it.
 */
export function runNumpy(mnistDir: string, steps: number, evaluate: boolean): NumpyRun {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.OPENBLAS_NUM_THREADS = '1';
  const args = [script, mnistDir, String(steps), ...(evaluate ? [] : ['--no-eval'])];
  const start = performance.now();
  const run = spawnSync('python3', args, { encoding: 'utf8', env, maxBuffer: 1 << 20 });
  const processSeconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`numpy_seed.py failed (exit ${run.status}): ${run.stderr}`);
  return {
    ...(JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Omit<NumpyRun, 'processSeconds'>),
    processSeconds,
  };
}
