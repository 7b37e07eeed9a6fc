import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoordinatorEvent, EvalRecord, Observer, RunResult, StepRecord } from '@descent/coordinator';
import type { BackendName, TrainConfig } from '@descent/core';
import { peakRssMb } from './peak-rss.js';
import { Progress } from './progress.js';
import type { RunDirectory } from './run-dir.js';

/** What the run's summary.json says; other tools and the tests read these names. */
export interface RunSummary {
  readonly finalTestAcc: number;
  readonly finalTrainAcc: number;
  readonly finalTestLoss: number;
  readonly steps: number;
  readonly wallSeconds: number;
  readonly trainSeconds: number;
  readonly trainStepsPerSecond: number;
  readonly trainSamplesPerSecond: number;
  readonly workers: number;
  readonly exchange: 'factors' | 'params';
  readonly backend: BackendName;
  readonly paramsSha256: string;
  readonly shardsByWorker: Readonly<Record<string, number>>;
  readonly stepTimingsMs: RunResult['timings'];
  /** Peak resident memory of this (the coordinator's) process, and of the largest local worker. */
  readonly peakRssMb: number;
  readonly workerPeakRssMb?: number;
}

/**
 * Observes a coordinator for the CLI: writes metrics.jsonl, prints the seed's per-epoch line and a progress bar,
 * and at the end writes summary.json and the seed's figures.
 */
export class RunRecorder implements Observer {
  private readonly losses: number[] = [];
  private readonly epochs: { epoch: number; trainAcc: number; testAcc: number }[] = [];
  private readonly progress: Progress;

  constructor(
    private readonly dir: RunDirectory,
    config: TrainConfig,
    private readonly quiet: boolean,
    firstStep = 0,
  ) {
    this.progress = new Progress(config.iters, process.stderr, 1000, firstStep);
    if (firstStep > 0) this.replayMetrics(firstStep);
  }

  /**
   * A resumed run's figures start at step 0: the losses and evaluations before the checkpoint come from the
   * metrics the run already wrote (steps after it, from before the interruption, are redone and recorded again).
   */
  private replayMetrics(firstStep: number): void {
    const path = join(this.dir.path, 'metrics.jsonl');
    if (!existsSync(path)) return;
    const losses = new Float64Array(firstStep).fill(Number.NaN);
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      let record: {
        type?: unknown;
        step?: unknown;
        loss?: unknown;
        epoch?: unknown;
        trainAcc?: unknown;
        testAcc?: unknown;
      };
      try {
        record = JSON.parse(line);
      } catch {
        continue; // a line cut short by the interruption
      }
      const step = typeof record.step === 'number' ? record.step : -1;
      if (record.type === 'step' && step >= 0 && step < firstStep && typeof record.loss === 'number') {
        losses[step] = record.loss;
      } else if (record.type === 'eval' && step > 0 && step <= firstStep) {
        const { epoch, trainAcc, testAcc } = record;
        if (typeof epoch === 'number' && typeof trainAcc === 'number' && typeof testAcc === 'number') {
          this.epochs.push({ epoch, trainAcc, testAcc });
        }
      }
    }
    // The figures refuse gaps; with a step missing from the log they show the resumed part alone.
    if (losses.every(Number.isFinite)) this.losses.push(...losses);
  }

  onStep(r: StepRecord): void {
    this.losses.push(r.loss);
    this.dir.appendMetric({
      type: 'step',
      step: r.step,
      loss: r.loss,
      correct: r.correct,
      rows: r.rows,
      workers: r.workers,
      ms: r.timings,
    });
    if (!this.quiet) this.progress.update(r.step, r.loss);
  }

  onEval(r: EvalRecord): void {
    this.epochs.push({ epoch: r.epoch, trainAcc: r.trainAcc, testAcc: r.testAcc });
    this.dir.appendMetric({ type: 'eval', ...r });
    const line = `train acc, test acc | ${r.trainAcc.toFixed(4)}, ${r.testAcc.toFixed(4)}`;
    if (this.quiet) process.stdout.write(`${line}\n`);
    else this.progress.aside(() => process.stdout.write(`${line}\n`));
  }

  onEvent(e: CoordinatorEvent): void {
    this.dir.appendMetric({ time: new Date().toISOString(), ...e, event: e.type, type: 'event' });
    if (e.type === 'checkpoint') this.dir.flushMetrics();
    const say = (text: string) => this.progress.aside(() => process.stderr.write(`${text}\n`));
    switch (e.type) {
      case 'lost':
        say(`worker ${e.worker} lost: ${e.reason}`);
        break;
      case 'reassign':
        say(`step ${e.step}: ${e.job} moved from ${e.from} to ${e.to} (${e.reason})`);
        break;
      case 'desync':
        say(`desync: worker ${e.worker} at step ${e.step}: ${e.message}`);
        break;
      case 'rejected':
        say(`rejected a result from ${e.worker} at step ${e.step}: ${e.message}`);
        break;
      case 'refused':
        say(`refused ${e.worker}: ${e.message}`);
        break;
      case 'waiting':
        // At start-up the launcher already says it waits for its workers.
        if (e.step === 0 && e.ready === 0) break;
        say(`step ${e.step}: waiting for workers (${e.ready} of ${e.needed} ready) on ${e.on}`);
        break;
      default:
        break;
    }
  }

  /** Writes summary.json and the figures; returns the summary. */
  async finish(result: RunResult, backend: BackendName, workerPeakRssMb?: number): Promise<RunSummary> {
    this.progress.finish();
    const summary: RunSummary = {
      finalTestAcc: result.testAcc,
      finalTrainAcc: result.trainAcc,
      finalTestLoss: result.testLoss,
      steps: result.steps,
      wallSeconds: result.wallSeconds,
      trainSeconds: result.trainSeconds,
      trainStepsPerSecond: result.stepsPerSecond,
      trainSamplesPerSecond: result.samplesPerSecond,
      workers: result.workers,
      exchange: result.exchange,
      backend,
      paramsSha256: result.paramsSha256,
      shardsByWorker: result.shardsByWorker,
      stepTimingsMs: result.timings,
      peakRssMb: peakRssMb(),
      ...(workerPeakRssMb !== undefined ? { workerPeakRssMb } : {}),
    };
    this.dir.close();
    this.dir.writeJson('summary.json', summary);
    await this.writeFigures();
    return summary;
  }

  private async writeFigures(): Promise<void> {
    // Loaded only now: the plotting stack (vega, resvg) would otherwise sit in memory for the whole run.
    const { accuracyFigure, lossFigure, lossZoomFigure, writeFigure } = await import('@descent/plots');
    const at = (name: string) => `${this.dir.path}/${name}`;
    // Each figure rasterizes on the thread pool while the next one is laid out.
    const written: Promise<unknown>[] = [];
    if (this.losses.length > 0) {
      written.push(writeFigure(lossFigure(this.losses), at('loss')));
      written.push(writeFigure(lossZoomFigure(this.losses), at('loss-zoom')));
    }
    if (this.epochs.length > 0) written.push(writeFigure(accuracyFigure(this.epochs), at('accuracy')));
    await Promise.all(written);
  }
}
