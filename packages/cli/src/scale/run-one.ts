import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Coordinator,
  type EvalRecord,
  parseLinkModel,
  type StepRecord,
  silentLogger,
} from '@descent/coordinator';
import { loadMnist } from '@descent/core';
import type { GradWire } from '@descent/protocol';
import { TraceRecorder } from '@descent/worker';
import { LocalWorkers } from '../local-workers.js';
import { trainConfigFromFlags, trainingFlags } from '../train-flags.js';
import { mergeTraces } from './chrome-trace.js';
import { configLabel, SCALE_MODELS, type ScaleConfig } from './scale-config.js';
import { type StepSummary, summarizeSteps } from './step-stats.js';

/** What one configuration measured; written as the last line of the child's stdout. */
export interface RunOutcome {
  readonly label: string;
  readonly config: ScaleConfig;
  readonly summary: StepSummary;
  readonly paramsSha256: string | null;
  readonly testAcc: number | null;
  /** Time-to-accuracy runs: the training time (evaluation excluded) and step at which the target was met. */
  readonly reached: { readonly step: number; readonly trainSeconds: number; readonly testAcc: number } | null;
  readonly params: number;
  /** What crossed the network each step. */
  readonly exchange: 'factors' | 'params';
}

/**
 * Runs one configuration in this (fresh) process: a coordinator here and `workers` fresh worker processes,
 * warm-up steps, measured steps, and for time-to-accuracy runs evaluations until the target.
 */
export async function runOne(config: ScaleConfig): Promise<RunOutcome> {
  const m = SCALE_MODELS[config.model];
  const tta = config.targetAcc !== undefined;
  const iters = config.warmup + config.steps;
  const train = trainConfigFromFlags(
    {
      model: m.kind,
      hidden: m.hidden.join(','),
      batch: String(config.batch),
      iters: String(iters),
      shards: String(config.shards),
      seed: String(config.seed),
      'eval-every': String(config.evalEvery ?? iters),
      ...(config.optimizer ? { optimizer: config.optimizer } : {}),
      ...(config.lr !== undefined ? { lr: String(config.lr) } : {}),
    },
    { name: 'bench scale', summary: '', flags: trainingFlags },
  );
  const data = loadMnist(config.dataDir);
  const steps: StepRecord[] = [];
  let trainMs = 0;
  let reached: RunOutcome['reached'] = null;
  const trace = config.traceDir !== undefined ? new TraceRecorder('coordinator') : undefined;
  let coordinator: Coordinator | null = null;
  coordinator = await Coordinator.start({
    config: train,
    data,
    backend: config.backend,
    minWorkers: config.workers,
    maxWorkers: Math.max(64, config.workers),
    logger: silentLogger,
    backupShards: config.backupShards,
    gradWire: config.wire as GradWire,
    exchange: config.exchange,
    ...(config.link ? { link: parseLinkModel(config.link) } : {}),
    observer: {
      onStep: (s) => {
        trainMs += s.timings.stepMs;
        if (s.step >= config.warmup) steps.push(s);
        if (trace) recordStep(trace, s);
      },
      onEval: (e: EvalRecord) => {
        if (tta && reached === null && e.testAcc >= (config.targetAcc ?? 1)) {
          reached = { step: e.step, trainSeconds: trainMs / 1000, testAcc: e.testAcc };
          void coordinator?.close();
        }
      },
    },
  });
  const args = ['--cache', config.dataDir];
  if (config.straggler) args.push('--straggler', config.straggler);
  if (config.traceDir !== undefined) {
    mkdirSync(config.traceDir, { recursive: true });
    args.push('--trace', join(config.traceDir, 'worker-{name}.json'));
  }
  const workers = new LocalWorkers(config.workers, {
    url: coordinator.url,
    backend: config.backend,
    extraArgs: args,
  });
  let sha: string | null = null;
  let testAcc: number | null = null;
  try {
    const result = await coordinator.run();
    sha = result.paramsSha256;
    testAcc = result.testAcc;
  } catch (err) {
    if (!(tta && reached !== null)) throw err;
  } finally {
    await coordinator.close();
  }
  await workers.stop();
  const exchange = coordinator.exchange;
  if (trace && config.traceDir !== undefined) {
    trace.write(join(config.traceDir, 'coordinator.json'));
    mergeTraces(config.traceDir, join(config.traceDir, 'trace.json'));
  }
  const net = SCALE_MODELS[config.model];
  const sizes = [784, ...net.hidden, 10];
  let params = 0;
  for (let i = 1; i < sizes.length; i++) params += sizes[i - 1] * sizes[i] + sizes[i];
  return {
    label: configLabel(config),
    config,
    summary: summarizeSteps(steps, config.batch),
    paramsSha256: sha,
    testAcc,
    reached,
    params,
    exchange,
  };
}

/** The coordinator's phases of one step, laid back from the moment the step ended. */
function recordStep(trace: TraceRecorder, s: StepRecord): void {
  const end = performance.now();
  const t = s.timings;
  const broadcast = end - t.broadcastMs;
  const optimizer = broadcast - t.optimizerMs;
  const wait = optimizer - t.waitMs;
  const dispatch = wait - t.dispatchMs;
  const args = { step: s.step };
  trace.span('dispatch', dispatch, wait, args);
  trace.span('wait', wait, optimizer, { ...args, aggregateMs: Number(t.aggregateMs.toFixed(3)) });
  trace.span('optimizer', optimizer, broadcast, args);
  trace.span('broadcast', broadcast, end, args);
}

// Run as a child of the sweep: the config as JSON in argv[2], the outcome as JSON on the last stdout line.
if (process.argv[1]?.endsWith('run-one.js') && process.argv[2] !== undefined) {
  const arg = process.argv[2];
  const config = JSON.parse(existsSync(arg) ? readFileSync(arg, 'utf8') : arg) as ScaleConfig;
  runOne(config).then(
    (outcome) => {
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`descent bench scale: ${configLabel(config)}: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
