import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '@descent/core';

const cliMain = fileURLToPath(new URL('./main.js', import.meta.url));

export interface LocalWorkerOptions {
  readonly url: string;
  readonly backend: BackendName;
  readonly dataDir?: string;
  /** Handed over in the environment, never on the command line, so it stays out of process listings. */
  readonly token?: string;
}

/** `descent worker` processes on this machine, one per core by default: the local multi-process run. */
export class LocalWorkers {
  private readonly children: ChildProcess[] = [];
  private readonly exits: Promise<void>[] = [];

  constructor(count: number, options: LocalWorkerOptions) {
    for (let i = 0; i < count; i++) {
      const args = [
        cliMain,
        'worker',
        '--connect',
        options.url,
        '--name',
        `local-${i}`,
        '--backend',
        options.backend,
      ];
      if (options.dataDir) args.push('--data', options.dataDir);
      const env = { ...process.env };
      if (options.token) env.DESCENT_TOKEN = options.token;
      else delete env.DESCENT_TOKEN;
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n'))
          if (line) process.stderr.write(`[local-${i}] ${line}\n`);
      });
      this.exits.push(new Promise((resolve) => child.on('close', () => resolve())));
      this.children.push(child);
    }
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
