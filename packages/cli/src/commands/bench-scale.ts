import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseLinkModel } from '@descent/coordinator';
import { backendNames, loadMnist, packagedDataDir, writeDatasetCache } from '@descent/core';
import { parseStraggler } from '@descent/worker';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { exchangeFlag, exchangeOption } from '../exchange-flag.js';
import { choiceFlag, numberFlag, sizesFlag, stringFlag } from '../flags.js';
import { backendFlag, defaultBackend } from '../options.js';
import { writeScaleFigures } from '../scale/figures.js';
import { type FittedModel, fitModels, predict } from '../scale/predictions.js';
import { compareWithOneWorker, type ScaleRow, toCsv, toMarkdown } from '../scale/report.js';
import { configLabel, SCALE_MODELS, type ScaleConfig, type ScaleModel } from '../scale/scale-config.js';
import { runSweep } from '../scale/sweep.js';

const WIRES = ['f32', 'f16', 'bf16'] as const;
const PREDICT_LINKS = '0.5ms,10Gbit;0.5ms,1Gbit;20ms,100Mbit';

const spec = {
  name: 'bench scale',
  summary: 'scaling sweep: throughput, speed-up and step-time split per worker count, batch, model and link',
  flags: {
    workers: { type: 'string', value: 'N,N,…', help: 'worker counts', default: '1,2,4,8,16' },
    batch: { type: 'string', value: 'B,B,…', help: 'global batch sizes', default: '100,1000,6000' },
    models: {
      type: 'string',
      value: 'small,large',
      help: '784-50-10 and/or 784-1000-1000-10',
      default: 'small,large',
    },
    steps: { type: 'string', value: 'N', help: 'measured steps per configuration', default: '15' },
    warmup: { type: 'string', value: 'N', help: 'steps run first and not measured', default: '3' },
    'large-steps': {
      type: 'string',
      value: 'N',
      help: 'measured steps for the large model at batches ≥ 1000 (its steps take seconds)',
      default: '4',
    },
    shards: { type: 'string', value: 'S', help: 'micro-shards per step (default: the largest worker count)' },
    link: {
      type: 'string',
      value: 'LAT,BW;…',
      help: 'simulated links to sweep besides loopback, e.g. "0.5ms,10Gbit;20ms,100Mbit"',
    },
    'no-loopback': { type: 'boolean', help: 'with --link: run only the simulated links' },
    straggler: {
      type: 'string',
      value: 'P,DELAY',
      help: 'every worker straggles: a fraction P of steps, DELAY ms late',
    },
    'backup-shards': {
      type: 'string',
      value: 'N,…',
      help: 'extra workers per micro-shard (first result wins)',
      default: '0',
    },
    wire: { type: 'string', value: 'f32,f16,bf16', help: 'gradient formats on the wire', default: 'f32' },
    exchange: {
      ...exchangeFlag.exchange,
      help: "what crosses the network each step, as `train --exchange` (the fitted model is of 'params' runs)",
    },
    tta: {
      type: 'string',
      value: 'ACC',
      help: 'time-to-accuracy mode: train on full MNIST until this test accuracy',
    },
    'tta-iters': {
      type: 'string',
      value: 'N',
      help: 'time-to-accuracy: most steps per run',
      default: '3000',
    },
    'eval-every': {
      type: 'string',
      value: 'N',
      help: 'time-to-accuracy: steps between evaluations',
      default: '100',
    },
    optimizer: { type: 'string', value: 'NAME', help: 'time-to-accuracy: update rule', default: 'momentum' },
    lr: { type: 'string', value: 'η', help: 'time-to-accuracy: learning rate', default: '0.1' },
    trace: { type: 'boolean', help: 'write a Chrome trace (trace.json, opens in Perfetto) of every run' },
    predict: {
      type: 'string',
      value: 'LAT,BW;…',
      help: 'links the fitted model predicts 8 to 1,024 workers on',
      default: PREDICT_LINKS,
    },
    cores: {
      type: 'string',
      value: 'N',
      help: 'cores the fit assumes the workers shared',
      default: String(availableParallelism()),
    },
    backend: backendFlag,
    seed: { type: 'string', value: 'N', help: 'seed of every run', default: '42' },
    out: {
      type: 'string',
      value: 'DIR',
      help: 'where results, tables and figures go',
      default: 'bench/scale',
    },
  },
} as const;

function list(text: string | undefined, sep = ','): string[] {
  return (text ?? '')
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const benchScaleCommand: Command = {
  spec,
  async run(values) {
    const workers = sizesFlag(values, 'workers', spec) ?? [1];
    const batches = sizesFlag(values, 'batch', spec) ?? [100];
    const models = list(stringFlag(values, 'models', spec)).map((m) => {
      if (!(m in SCALE_MODELS)) throw new UsageError(`--models: unknown model '${m}' (small, large)`);
      return m as ScaleModel;
    });
    const steps = numberFlag(values, 'steps', spec, { integer: true, min: 1 }) ?? 15;
    const largeSteps = numberFlag(values, 'large-steps', spec, { integer: true, min: 1 }) ?? steps;
    const warmup = numberFlag(values, 'warmup', spec, { integer: true, min: 0 }) ?? 3;
    const shards = numberFlag(values, 'shards', spec, { integer: true, min: 1 }) ?? Math.max(...workers);
    const links = list(stringFlag(values, 'link', spec), ';');
    for (const l of links) parseLinkModel(l);
    const straggler = stringFlag(values, 'straggler', spec);
    if (straggler !== undefined) parseStraggler(straggler);
    const backups = backupsFlag(stringFlag(values, 'backup-shards', spec)) ?? [0];
    const wires = list(stringFlag(values, 'wire', spec)).map((w) => {
      if (!(WIRES as readonly string[]).includes(w))
        throw new UsageError(`--wire: '${w}' is not one of ${WIRES.join(', ')}`);
      return w as (typeof WIRES)[number];
    });
    const exchange = exchangeOption(values, spec);
    const tta = numberFlag(values, 'tta', spec, { min: 0, max: 1 });
    const backend = choiceFlag(values, 'backend', spec, backendNames) ?? defaultBackend;
    const seed = numberFlag(values, 'seed', spec, { integer: true }) ?? 42;
    const cores = numberFlag(values, 'cores', spec, { integer: true, min: 1 }) ?? availableParallelism();
    const predictLinks = list(stringFlag(values, 'predict', spec), ';');
    for (const l of predictLinks) parseLinkModel(l);
    const out = resolve(stringFlag(values, 'out', spec) ?? 'bench/scale');
    mkdirSync(out, { recursive: true });

    // Throughput runs use a 10,000 + 1,000 image subset: the final evaluation of the large net over all
    // 70,000 would take longer than its measured steps. Time-to-accuracy runs need the whole set.
    let dataDir = packagedDataDir();
    if (tta === undefined) {
      dataDir = join(out, 'data-subset');
      const full = loadMnist();
      const cut = (d: typeof full.train, n: number) => ({
        ...d,
        count: n,
        images: d.images.subarray(0, n * d.features),
        labels: d.labels.subarray(0, n),
      });
      writeDatasetCache(dataDir, { ...full, train: cut(full.train, 10_000), test: cut(full.test, 1_000) });
    }
    const linkSet: (string | undefined)[] = [
      ...(values['no-loopback'] === true && links.length > 0 ? [] : [undefined]),
      ...links,
    ];
    const configs: ScaleConfig[] = [];
    for (const model of models)
      for (const batch of batches)
        for (const link of linkSet)
          for (const backupShards of backups)
            for (const wire of wires)
              for (const n of workers) {
                if (backupShards >= n && backupShards > 0) continue;
                const heavy = model === 'large' && batch >= 1000;
                const config: ScaleConfig = {
                  workers: n,
                  batch,
                  model,
                  shards,
                  steps:
                    tta !== undefined
                      ? (numberFlag(values, 'tta-iters', spec, { integer: true, min: 1 }) ?? 3000)
                      : heavy
                        ? largeSteps
                        : steps,
                  warmup: tta !== undefined ? 0 : heavy ? Math.min(1, warmup) : warmup,
                  backend,
                  backupShards,
                  wire,
                  exchange,
                  seed,
                  dataDir,
                  ...(link ? { link } : {}),
                  ...(straggler ? { straggler } : {}),
                  ...(tta !== undefined
                    ? {
                        targetAcc: tta,
                        evalEvery: numberFlag(values, 'eval-every', spec, { integer: true, min: 1 }) ?? 100,
                        optimizer: stringFlag(values, 'optimizer', spec) ?? 'momentum',
                        lr: numberFlag(values, 'lr', spec, { min: 0 }) ?? 0.1,
                      }
                    : {}),
                };
                configs.push(
                  values.trace === true
                    ? { ...config, traceDir: join(out, 'traces', configLabel(config)) }
                    : config,
                );
              }
    process.stderr.write(
      `descent bench scale: ${configs.length} configurations, each in fresh processes, on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; results in ${out}\n`,
    );
    const started = performance.now();
    const outcomes = await runSweep(configs, (done, o) => {
      process.stderr.write(
        `  [${done}/${configs.length}] ${o.label}: ${o.summary.samplesPerSecond.toFixed(0)} samples/s, step ${o.summary.stepMs.median.toFixed(1)} ms` +
          (o.reached
            ? `, test acc ${o.reached.testAcc.toFixed(4)} after ${o.reached.trainSeconds.toFixed(1)} s`
            : '') +
          '\n',
      );
    });
    const rows = compareWithOneWorker(outcomes);
    const fitted = fitModels(outcomes, cores);
    const params = new Map(outcomes.map((o) => [o.config.model, o.params] as const));
    const predictions = predict(fitted, params, predictLinks, batches);
    const figures = await writeScaleFigures(out, rows, fitted, predictions, cores);
    const machine = {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      node: process.version,
      backend,
      loadAverage: loadavg(),
    };
    writeFileSync(
      join(out, 'results.json'),
      `${JSON.stringify({ date: new Date().toISOString(), machine, sweepSeconds: (performance.now() - started) / 1000, rows, fitted, predictions }, null, 2)}\n`,
    );
    writeFileSync(join(out, 'results.csv'), toCsv(rows));
    const md = [
      `# descent bench scale — ${new Date().toISOString().slice(0, 10)}, ${machine.cores} × ${machine.cpu}, Node ${machine.node}, ${backend}`,
      '',
      `Phases are median / p95 ms per step over the measured steps; ${shards} micro-shards per step.`,
      '',
      toMarkdown(rows),
      ...fitted.map(
        (f) =>
          `Model fit, ${SCALE_MODELS[f.model].label} (${f.points} runs): mean error ${(f.fitError.mean * 100).toFixed(1)} %, largest ${(f.fitError.max * 100).toFixed(1)} %; ` +
          `c ${f.coefficients.c.toExponential(3)} ms/sample, h ${f.coefficients.h.toFixed(3)} ms/result on a worker, g ${f.coefficients.g.toFixed(3)} ms/result, b ${f.coefficients.b.toFixed(3)} ms/worker, o ${f.coefficients.o.toFixed(3)} ms/step\n`,
      ),
      ...unfitted(rows, fitted).map(
        (m) =>
          `No model fit for ${SCALE_MODELS[m].label}: its runs sent factors, and the model is of runs that send ` +
          'parameters (add a sweep with --exchange params).\n',
      ),
      predictions.length > 0 ? '## Predicted efficiency, one worker per machine, S = workers\n' : '',
      predictions.length > 0 ? predictionTable(predictions) : '',
    ].join('\n');
    writeFileSync(join(out, 'results.md'), `${md}\n`);
    process.stdout.write(`${md}\n`);
    process.stderr.write(
      `sweep took ${((performance.now() - started) / 1000).toFixed(0)} s; wrote results.json, results.csv, results.md and ${figures.length} figures to ${out}\n`,
    );
    return 0;
  },
};

function predictionTable(predictions: ReturnType<typeof predict>): string {
  const workers = [...new Set(predictions.map((p) => p.workers))].sort((a, b) => a - b);
  const keys = [...new Set(predictions.map((p) => `${p.model}|${p.link}|${p.batch}`))];
  const lines = [
    `| model | link | batch | ${workers.join(' | ')} |`,
    `|---|---|---|${workers.map(() => '---:|').join('')}`,
  ];
  for (const k of keys) {
    const [model, link, batch] = k.split('|');
    const of = predictions.filter((p) => `${p.model}|${p.link}|${p.batch}` === k);
    lines.push(
      `| ${SCALE_MODELS[model as ScaleModel].label} | ${link} | ${batch} | ${workers.map((w) => of.find((p) => p.workers === w)?.efficiency.toFixed(2) ?? '–').join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Backup counts may be 0, which sizesFlag refuses. */
function backupsFlag(text: string | undefined): number[] {
  const out = list(text).map(Number);
  if (out.some((n) => !Number.isInteger(n) || n < 0))
    throw new UsageError(`--backup-shards must be whole numbers ≥ 0 separated by commas, got '${text}'`);
  return out.length > 0 ? out : [0];
}

/** Nets measured with factors only, which the step model (of runs sending parameters) cannot be fitted to. */
function unfitted(rows: readonly ScaleRow[], fitted: readonly FittedModel[]): ScaleModel[] {
  const sentFactors = rows.filter((r) => r.outcome.exchange === 'factors').map((r) => r.outcome.config.model);
  return [...new Set(sentFactors)].filter((m) => !fitted.some((f) => f.model === m));
}
