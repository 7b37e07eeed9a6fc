import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backendNames, loadMnist, type OptimizerName } from '@descent/core';
import { lossCurvesFigure, writeFigure } from '@descent/plots';
import type { Command } from '../command.js';
import { bookCompareConfig, OPTIMIZER_LABEL, OPTIMIZER_ORDER } from '../compare/book-optimizers.js';
import { markdownTable, tailMean } from '../compare/results-table.js';
import { runThroughCoordinator } from '../compare/run-through-coordinator.js';
import { UsageError } from '../errors.js';
import { choiceFlag, numberFlag, stringFlag } from '../flags.js';
import { defaultLocalWorkers } from '../local-workers.js';
import { backendFlag, dataFlag, defaultBackend } from '../options.js';
import { RunDirectory } from '../run-dir.js';

const spec = {
  name: 'compare-optimizers',
  summary:
    "the book's MNIST optimizer comparison: MultiLayerNet 784-100×4-10, batch 128, the same batches for each",
  flags: {
    iters: { type: 'string', value: 'N', help: 'steps per optimizer', default: '2000' },
    batch: { type: 'string', value: 'B', help: 'mini-batch size', default: '128' },
    optimizers: {
      type: 'string',
      value: 'LIST',
      help: 'which to compare, comma-separated',
      default: OPTIMIZER_ORDER.join(','),
    },
    workers: {
      type: 'string',
      value: 'N',
      help: 'local worker processes per run; 0 computes in this process',
      default: String(defaultLocalWorkers()),
    },
    shards: { type: 'string', value: 'S', help: 'micro-shards per step', default: '4' },
    seed: {
      type: 'string',
      value: 'N',
      help: 'seed for init and batches (shared by every optimizer)',
      default: '42',
    },
    backend: backendFlag,
    data: dataFlag,
    out: { type: 'string', value: 'DIR', help: 'where the comparison directory goes', default: 'runs' },
    name: { type: 'string', value: 'NAME', help: 'its name', default: 'compare-optimizers' },
  },
} as const;

/** Iterations the final loss is averaged over, as the book prints it every 100. */
const FINAL_WINDOW = 100;

export const compareOptimizersCommand: Command = {
  spec,
  async run(values) {
    const iters = numberFlag(values, 'iters', spec, { integer: true, min: 1 }) ?? 2000;
    const batch = numberFlag(values, 'batch', spec, { integer: true, min: 1 }) ?? 128;
    const workers = numberFlag(values, 'workers', spec, { integer: true, min: 0, max: 256 }) ?? 0;
    const shards = numberFlag(values, 'shards', spec, { integer: true, min: 1 }) ?? 4;
    const seed = numberFlag(values, 'seed', spec, { integer: true, min: 0 }) ?? 42;
    const backend = choiceFlag(values, 'backend', spec, backendNames) ?? defaultBackend;
    const names = (stringFlag(values, 'optimizers', spec) ?? '').split(',').map((s) => s.trim());
    for (const n of names) {
      if (!(OPTIMIZER_ORDER as readonly string[]).includes(n)) {
        throw new UsageError(`--optimizers: unknown '${n}'; choose from ${OPTIMIZER_ORDER.join(', ')}`);
      }
    }
    if (shards > batch) throw new UsageError(`--shards (${shards}) cannot exceed --batch (${batch})`);
    const dataDir = stringFlag(values, 'data', spec);
    const data = loadMnist(dataDir);
    const dir = RunDirectory.create(
      stringFlag(values, 'out', spec) ?? 'runs',
      stringFlag(values, 'name', spec) ?? 'compare-optimizers',
    );
    const configs = (names as OptimizerName[]).map((n) =>
      bookCompareConfig(n, { iters, batch, seed, shards }),
    );
    dir.writeJson('config.json', {
      configs,
      backend,
      workers,
      data: { source: data.source, fingerprint: data.fingerprint },
    });

    const rows: { name: OptimizerName; lr: number; losses: number[]; testAcc: number; seconds: number }[] =
      [];
    for (const config of configs) {
      const name = config.optimizer.name;
      process.stderr.write(`descent: ${OPTIMIZER_LABEL[name]} (η ${config.optimizer.lr}), ${iters} steps…\n`);
      const run = await runThroughCoordinator({ config, data, backend, workers, dataDir });
      rows.push({
        name,
        lr: config.optimizer.lr,
        losses: run.losses,
        testAcc: run.result.testAcc,
        seconds: run.result.trainSeconds,
      });
    }

    const figure = lossCurvesFigure(
      rows.map((r) => ({ label: OPTIMIZER_LABEL[r.name], losses: r.losses })),
      { title: `MNIST, 784-100-100-100-100-10, batch ${batch}: training loss (smoothed)` },
    );
    await writeFigure(figure, join(dir.path, 'loss'));
    const table = markdownTable(
      ['optimizer', 'η', `final loss (mean of last ${FINAL_WINDOW})`, 'test acc', 'train s'],
      rows.map((r) => [
        OPTIMIZER_LABEL[r.name],
        String(r.lr),
        tailMean(r.losses, FINAL_WINDOW).toFixed(4),
        r.testAcc.toFixed(4),
        r.seconds.toFixed(1),
      ]),
    );
    dir.writeJson(
      'results.json',
      rows.map((r) => ({
        optimizer: r.name,
        lr: r.lr,
        finalLoss: tailMean(r.losses, FINAL_WINDOW),
        testAcc: r.testAcc,
        trainSeconds: r.seconds,
        losses: r.losses,
      })),
    );
    writeFileSync(join(dir.path, 'results.md'), `${table}\n`);
    process.stdout.write(`${table}\nplot: ${resolve(dir.path, 'loss.svg')} (and .png)\n`);
    return 0;
  },
};
