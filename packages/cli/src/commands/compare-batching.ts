import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backendNames, type Dataset, datasetFingerprint, loadMnist, type TrainConfig } from '@descent/core';
import { StreamingEma } from '@descent/dashboard';
import { lineFigure, writeFigure } from '@descent/plots';
import type { Command } from '../command.js';
import { markdownTable } from '../compare/results-table.js';
import { runThroughCoordinator } from '../compare/run-through-coordinator.js';
import { UsageError } from '../errors.js';
import { choiceFlag, numberFlag, stringFlag } from '../flags.js';
import { backendFlag, dataFlag, defaultBackend } from '../options.js';
import { RunDirectory } from '../run-dir.js';

const spec = {
  name: 'compare-batching',
  summary:
    "the seed's three kinds of gradient descent on MNIST: full batch, mini-batch and single-sample SGD",
  flags: {
    epochs: {
      type: 'string',
      value: 'E',
      help: 'samples each kind sees, in passes over the training set',
      default: '2',
    },
    'mini-batch': { type: 'string', value: 'B', help: 'batch of the mini-batch run', default: '100' },
    lr: { type: 'string', value: 'η', help: 'learning rate of all three (plain SGD update)', default: '0.1' },
    'train-size': {
      type: 'string',
      value: 'N',
      help: 'use the first N training images (the full batch is all of them); with --workers 0 only',
      default: '60000',
    },
    workers: {
      type: 'string',
      value: 'N',
      help: 'local worker processes per run; 0 computes in this process (single-sample steps are all overhead)',
      default: '0',
    },
    seed: { type: 'string', value: 'N', help: 'seed for init and sampling', default: '42' },
    backend: backendFlag,
    data: dataFlag,
    out: { type: 'string', value: 'DIR', help: 'where the comparison directory goes', default: 'runs' },
    name: { type: 'string', value: 'NAME', help: 'its name', default: 'compare-batching' },
  },
} as const;

interface Kind {
  readonly label: string;
  readonly batch: number;
}

/** The seed's TwoLayerNet with a plain SGD update; only the batch differs between the three kinds. */
function configFor(batch: number, iters: number, lr: number, seed: number): TrainConfig {
  return {
    model: {
      kind: 'two-layer',
      inputSize: 784,
      hidden: [50],
      outputSize: 10,
      activation: 'relu',
      init: 'std',
      initStd: 0.01,
      weightDecay: 0,
      dropout: 0,
      batchNorm: false,
    },
    optimizer: { name: 'sgd', lr, momentum: 0.9, decayRate: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
    batch,
    iters,
    shards: Math.min(4, batch),
    // Shuffled passes, so the full batch is exactly the training set and every kind sees each sample per epoch.
    sampler: 'epoch',
    seed,
    evalEvery: 0,
  };
}

/** Smoothed over about 2% of the run's steps: single-sample losses are too noisy to read raw. */
function smooth(losses: readonly number[]): number[] {
  const ema = new StreamingEma(Math.max(1, Math.round(losses.length / 50)));
  return losses.map((l) => ema.push(l));
}

export const compareBatchingCommand: Command = {
  spec,
  async run(values) {
    const epochs = numberFlag(values, 'epochs', spec, { min: 0 }) ?? 2;
    const mini = numberFlag(values, 'mini-batch', spec, { integer: true, min: 2 }) ?? 100;
    const lr = numberFlag(values, 'lr', spec, { min: 0 }) ?? 0.1;
    const trainSize = numberFlag(values, 'train-size', spec, { integer: true, min: 2 }) ?? 60_000;
    const workers = numberFlag(values, 'workers', spec, { integer: true, min: 0, max: 256 }) ?? 0;
    const seed = numberFlag(values, 'seed', spec, { integer: true, min: 0 }) ?? 42;
    const backend = choiceFlag(values, 'backend', spec, backendNames) ?? defaultBackend;
    const dataDir = stringFlag(values, 'data', spec);
    const full = loadMnist(dataDir);
    if (trainSize > full.train.count) {
      throw new UsageError(`--train-size ${trainSize} exceeds the ${full.train.count} training images`);
    }
    if (trainSize < full.train.count && workers > 0) {
      throw new UsageError(
        '--train-size below the whole set needs --workers 0 (worker processes load the whole set)',
      );
    }
    const train = subset(full.train, trainSize);
    const data = { ...full, train, fingerprint: datasetFingerprint(train, full.test) };
    const samples = Math.round(epochs * trainSize);
    const kinds: Kind[] = [
      { label: `full batch (${trainSize})`, batch: trainSize },
      { label: `mini-batch (${mini})`, batch: mini },
      { label: 'SGD (1 sample)', batch: 1 },
    ];
    for (const k of kinds) {
      if (samples < k.batch) {
        throw new UsageError(
          `--epochs ${epochs} is ${samples} samples, less than one ${k.label} step; raise --epochs`,
        );
      }
    }
    const dir = RunDirectory.create(
      stringFlag(values, 'out', spec) ?? 'runs',
      stringFlag(values, 'name', spec) ?? 'compare-batching',
    );
    const runs = [];
    for (const k of kinds) {
      const iters = Math.floor(samples / k.batch);
      process.stderr.write(`descent: ${k.label}, ${iters} steps…\n`);
      const config = configFor(k.batch, iters, lr, seed);
      const run = await runThroughCoordinator({ config, data, backend, workers, dataDir });
      runs.push({ kind: k, config, ...run });
    }
    dir.writeJson('config.json', {
      configs: runs.map((r) => r.config),
      samples,
      backend,
      workers,
      data: { source: data.source, train: trainSize },
    });

    // Each curve ends at the loss over the whole training set after the last update (the final evaluation),
    // which is what a full-batch step would measure next.
    const bySamples = runs.map((r) => {
      const s = smooth(r.losses);
      const points = s.map((y, i): [number, number] => [i * r.kind.batch, y]);
      points.push([r.losses.length * r.kind.batch, r.result.trainLoss]);
      return { label: r.kind.label, points };
    });
    const byTime = runs.map((r) => {
      const s = smooth(r.losses);
      // A step's loss is measured before its update, at the time the step started.
      const points = s.map((y, i): [number, number] => [i === 0 ? 0 : r.seconds[i - 1], y]);
      points.push([r.seconds.at(-1) ?? 0, r.result.trainLoss]);
      return { label: r.kind.label, points };
    });
    const common = { yTitle: 'training loss (smoothed)', yDomain: [0, 2.5] as [number, number] };
    await writeFigure(
      lineFigure(bySamples, {
        ...common,
        xTitle: 'samples seen',
        title: `Loss against samples seen (${samples})`,
      }),
      join(dir.path, 'loss-vs-samples'),
    );
    await writeFigure(
      lineFigure(byTime, { ...common, xTitle: 'wall time (s)', title: 'Loss against wall time' }),
      join(dir.path, 'loss-vs-time'),
    );
    const table = markdownTable(
      ['kind', 'batch', 'updates', 'final loss (whole train set)', 'test acc', 'train s'],
      runs.map((r) => [
        r.kind.label,
        String(r.kind.batch),
        String(r.losses.length),
        r.result.trainLoss.toFixed(4),
        r.result.testAcc.toFixed(4),
        r.result.trainSeconds.toFixed(1),
      ]),
    );
    writeFileSync(join(dir.path, 'results.md'), `${table}\n`);
    process.stdout.write(
      `${table}\nplots: ${resolve(dir.path, 'loss-vs-samples.svg')} and ${resolve(dir.path, 'loss-vs-time.svg')} (and .png)\n`,
    );
    return 0;
  },
};

function subset(d: Dataset, count: number): Dataset {
  if (count === d.count) return d;
  return {
    ...d,
    count,
    images: d.images.subarray(0, count * d.features),
    labels: d.labels.subarray(0, count),
  };
}
