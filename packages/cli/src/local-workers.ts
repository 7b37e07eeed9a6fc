import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '@descent/core';

const cliMain = fileURLToPath(new URL('./main.js', import.meta.url));

export interface LocalWorkerOptions {
  /** The coordinator's address; without it the workers start at once and wait for `connect`. */
  readonly url?: string;
  readonly backend: BackendName;
  readonly dataDir?: string;
  /** More `descent worker` flags, the same for every worker (scaling experiments). */
  readonly extraArgs?: readonly string[];
}

/** The worker's last line carries its figures as JSON (see commands/worker.ts). */
const DONE_LINE = /^descent worker: done (\{.*\})$/;

/**
 * A worker's V8 heap is small (about 11 MB: its data and net live in ArrayBuffers and wasm memory), but every
 * step leaves a few hundred kB of dead frame buffers that only a collection frees. 1 MB young spaces and a
 * 96 MB old-space limit make V8 collect them sooner: peak RSS 132 MB instead of ~150 (measured on the seed
 * recipe), at no measurable cost in speed. Local workers share the machine's cores with each other and the
 * coordinator, so V8's background GC threads only take time from a process the step is waiting on: collecting
 * on the worker's own thread gave 286 against 246 steps/s with two workers on two cores (p95 step 9.1 against
 * 11.7 ms), for ~11 MB more peak RSS.
 */
const WORKER_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=96', '--single-threaded-gc'];

/**
 * Local workers when none are asked for: one per core but one. The coordinator is busy every step too (it
 * sums the results and applies the update itself), so a worker on every core oversubscribes the machine: on
 * two cores the default run took 23.3 s with one worker against 28.7 s with two, with the same weights.
 */
export function defaultLocalWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** `descent worker` processes on this machine: the local multi-process run. */
export class LocalWorkers {
  private readonly children: ChildProcess[] = [];
  private readonly exits: Promise<void>[] = [];
  /** Peak resident memory each worker reported as it left, in MB. */
  readonly peakRssMb: number[] = [];

  constructor(count: number, options: LocalWorkerOptions) {
    for (let i = 0; i < count; i++) {
      const args = [
        cliMain,
        'worker',
        '--connect',
        options.url ?? '-',
        '--name',
        `local-${i}`,
        '--backend',
        options.backend,
      ];
      if (options.dataDir) args.push('--data', options.dataDir);
      if (options.extraArgs) args.push(...options.extraArgs);
      const env = { ...process.env };
      env.DESCENT_PARENT_PID = String(process.pid);
      // Local workers dial a loopback coordinator: the run's secret has no business in their environment.
      delete env.DESCENT_TOKEN;
      // Frames of a few hundred kB come and go every step; with glibc's sliding mmap threshold they end up in
      // the heap and fragment it. A fixed threshold keeps them in mappings that are returned when freed.
      env.MALLOC_MMAP_THRESHOLD_ ??= '131072';
      const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, ...args], {
        env,
        stdio: [options.url === undefined ? 'pipe' : 'ignore', 'ignore', 'pipe'],
      });
      if (child.stderr) {
        createInterface({ input: child.stderr }).on('line', (line) => {
          const done = DONE_LINE.exec(line);
          if (done) this.peakRssMb.push(Number((JSON.parse(done[1]) as { peakRssMb?: number }).peakRssMb));
          else if (line) process.stderr.write(`[local-${i}] ${line}\n`);
        });
      }
      this.exits.push(new Promise((resolve) => child.on('close', () => resolve())));
      this.children.push(child);
    }
  }

  /**
   * Gives workers started without an address their coordinator's (`descent worker --connect -`). They boot and
   * load their data while the coordinator starts, instead of after it.
   */
  connect(url: string): void {
    for (const child of this.children) {
      // A worker already gone cannot read it; allExited reports its exit.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(`${url}\n`);
    }
  }

  /** Resolves once every worker process has exited, whatever the reason. */
  allExited(): Promise<void> {
    return Promise.all(this.exits).then(() => undefined);
  }

  /** Waits for the workers to leave on their own (the coordinator says bye), then kills any that did not. */
  async stop(graceMs = 5000): Promise<void> {
    const timer = setTimeout(() => {
      for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(this.exits);
    clearTimeout(timer);
  }

  kill(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
