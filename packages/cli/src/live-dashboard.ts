import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Coordinator, CoordinatorEvent, EvalRecord, Observer, StepRecord } from '@descent/coordinator';
import type { TrainConfig } from '@descent/core';
import { DashboardServer, RunState, type WorkerProbe } from '@descent/dashboard';
import { type CommandSpec, type FlagValues, numberFlag, stringFlag } from './flags.js';
import type { RunSummary } from './recorder.js';
import type { RunDirectory } from './run-dir.js';

/** Steps between two looks at the coordinator's worker table when no page asks for it. */
const PROBE_EVERY = 50;

export interface LiveDashboardOptions {
  readonly dir: RunDirectory;
  readonly config: TrainConfig;
  readonly trainSize: number;
  /** Asked of every request when the dashboard binds beyond loopback. */
  readonly token?: string;
}

/**
 * The run as the dashboard sees it, for `train` and `coordinator`: always kept (its worker table is written to
 * workers.json for `descent view`), and served as a page unless --no-dashboard.
 */
export class LiveDashboard {
  private coordinator: Coordinator | null = null;
  private server: DashboardServer | null = null;

  private constructor(
    private readonly values: FlagValues,
    private readonly spec: CommandSpec,
    private readonly options: LiveDashboardOptions,
    readonly state: RunState,
  ) {}

  /** The run's dashboard state; the page is served once `start` is given the coordinator. */
  static create(values: FlagValues, spec: CommandSpec, o: LiveDashboardOptions): LiveDashboard {
    const configPath = join(o.dir.path, 'config.json');
    const state = new RunState({
      title: basename(o.dir.path),
      iters: o.config.iters,
      batch: o.config.batch,
      trainSize: o.trainSize,
      evalEvery: o.config.evalEvery,
      config: existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : { config: o.config },
    });
    return new LiveDashboard(values, spec, o, state);
  }

  /**
   * Serves the page (unless --no-dashboard) and prints its address. A dashboard that cannot start closes
   * `coordinator` before throwing, so nothing is left listening.
   */
  async start(coordinator: Coordinator): Promise<void> {
    this.coordinator = coordinator;
    if (this.values['no-dashboard'] === true) return;
    try {
      this.server = await DashboardServer.start({
        state: this.state,
        host: stringFlag(this.values, 'dashboard-host', this.spec),
        port: numberFlag(this.values, 'dashboard-port', this.spec, { integer: true, min: 0, max: 65535 }),
        token: this.options.token,
        beforeFlush: () => this.probe(),
      });
    } catch (err) {
      await coordinator.close();
      throw err;
    }
    const how = this.options.token ? ' (open it once with ?token=<the token>)' : '';
    process.stderr.write(`descent: dashboard ${this.server.url}${how}\n`);
  }

  /** An observer feeding both `inner` (the run recorder) and the dashboard. */
  observe(inner: Observer): Observer {
    return {
      onStep: (r: StepRecord) => {
        inner.onStep?.(r);
        this.state.onStep(r);
        if (r.step % PROBE_EVERY === 0) this.probe();
      },
      onEval: (r: EvalRecord) => {
        inner.onEval?.(r);
        this.probe();
        this.state.onEval(r);
      },
      onEvent: (e: CoordinatorEvent) => {
        inner.onEvent?.(e);
        this.state.onEvent(e);
      },
    };
  }

  /** Marks the run finished, writes workers.json, and pushes the final state to open pages before closing. */
  async finish(summary: RunSummary): Promise<void> {
    this.state.finish({ ...summary });
    this.options.dir.writeJson('workers.json', this.state.workerTable());
    await this.server?.close();
  }

  async fail(err: unknown): Promise<void> {
    this.state.fail(err instanceof Error ? err.message : String(err));
    await this.server?.close();
  }

  private probe(): void {
    const c = this.coordinator;
    if (!c) return;
    const probes: WorkerProbe[] = c.workerTable().map((w) => ({
      name: w.name,
      address: w.address,
      shards: w.shards,
      lastHeardMs: w.lastHeardMs,
    }));
    this.state.probe(probes);
  }
}
