import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { type BackendName, backendNames, loadMnist, packagedDataDir, type TrainConfig } from '@descent/core';
import { coreStepsPerSecond } from '../bench/core-train.js';
import { runDescentTrain, type TrainRun } from '../bench/end-to-end.js';
import { benchKernels, type KernelRow } from '../bench/kernels.js';
import { type NumpyRun, numpyUnavailable, runNumpy } from '../bench/numpy.js';
import { median } from '../bench/stats.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { numberFlag, stringFlag } from '../flags.js';
import { trainConfigFromFlags, trainingFlags } from '../train-flags.js';

const SECTIONS = ['kernels', 'core', 'e2e'] as const;
type Section = (typeof SECTIONS)[number];

const spec = {
  name: 'bench',
  summary:
    'benchmarks: kernel GFLOP/s, core training steps/s vs numpy, end-to-end `descent train` vs numpy, memory',
  flags: {
    only: { type: 'string', value: SECTIONS.join(','), help: 'sections to run', default: SECTIONS.join(',') },
    rounds: {
      type: 'string',
      value: 'N',
      help: 'alternating rounds for kernels and core (medians are quoted)',
      default: '5',
    },
    steps: { type: 'string', value: 'N', help: 'training steps per core round', default: '2000' },
    'e2e-rounds': {
      type: 'string',
      value: 'N',
      help: 'alternating end-to-end runs of descent and numpy',
      default: '3',
    },
    out: { type: 'string', value: 'DIR', help: 'where the JSON results go', default: 'bench/results' },
  },
} as const;

interface CoreRow {
  readonly backend: string;
  /** Threads per step: 2 splits each step's shard tree in two halves computed at once. */
  readonly threads: number;
  readonly stepsPerSecond: number;
  readonly samplesPerSecond: number;
  /** descent / numpy, median of per-round ratios (rounds alternate the two). */
  readonly vsNumpy: number | null;
  /** Each round's steps/s and ratio to numpy, in order. */
  readonly roundStepsPerSecond: readonly number[];
  readonly roundRatios: readonly number[];
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

export const benchCommand: Command = {
  spec,
  async run(values) {
    const only = (stringFlag(values, 'only', spec) ?? '').split(',').filter(Boolean);
    for (const s of only)
      if (!(SECTIONS as readonly string[]).includes(s))
        throw new UsageError(`--only: unknown section '${s}' (${SECTIONS.join(', ')})`);
    const want = (s: Section) => only.includes(s);
    const rounds = numberFlag(values, 'rounds', spec, { integer: true, min: 1 }) ?? 5;
    const steps = numberFlag(values, 'steps', spec, { integer: true, min: 10 }) ?? 2000;
    const e2eRounds = numberFlag(values, 'e2e-rounds', spec, { integer: true, min: 1 }) ?? 3;
    const data = loadMnist();
    const seed: TrainConfig = trainConfigFromFlags({}, { name: 'bench', summary: '', flags: trainingFlags });
    const noNumpy = numpyUnavailable();
    const lines: string[] = [
      `descent bench — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    ];
    const say = (line: string) => {
      lines.push(line);
      process.stdout.write(`${line}\n`);
    };
    process.stdout.write(`${lines[0]}\n`);
    if (noNumpy) say(`numpy comparison skipped: ${noNumpy}`);
    const results: Record<string, unknown> = {
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      node: process.version,
    };

    if (want('kernels')) {
      const rows: KernelRow[] = benchKernels(backendNames, data, rounds);
      results.kernels = rows;
      say('\n### Kernels (GFLOP/s, median; first-layer products use real MNIST batches)\n');
      say(`| product | m×n×k | ${backendNames.join(' | ')} |`);
      say(`| --- | --- | ${backendNames.map(() => '---:').join(' | ')} |`);
      for (const kernel of [...new Set(rows.map((r) => r.kernel))]) {
        const of = rows.filter((r) => r.kernel === kernel);
        say(
          `| ${kernel} | ${of[0].m}×${of[0].n}×${of[0].k} | ${backendNames.map((b) => fmt(of.find((r) => r.backend === b)?.gflops ?? Number.NaN, 2)).join(' | ')} |`,
        );
      }
    }

    if (want('core')) {
      const variants: { backend: BackendName; threads: 1 | 2 }[] = backendNames.map((backend) => ({
        backend,
        threads: 1,
      }));
      if (availableParallelism() >= 2) variants.push({ backend: 'wasm', threads: 2 });
      const label = (v: { backend: string; threads: number }) =>
        v.threads === 1 ? v.backend : `${v.backend}, ${v.threads} threads`;
      const rates = variants.map((): number[] => []);
      const ratios = variants.map((): number[] => []);
      const numpyRates: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const numpy = noNumpy ? null : runNumpy(packagedDataDir(), steps, false).stepsPerSecond;
        if (numpy !== null) numpyRates.push(numpy);
        variants.forEach((v, i) => {
          const rate = coreStepsPerSecond(seed, data, v.backend, steps, v.threads);
          rates[i].push(rate);
          if (numpy !== null) ratios[i].push(rate / numpy);
        });
      }
      const rows: CoreRow[] = variants.map((v, i) => {
        const sps = median(rates[i]);
        return {
          backend: v.backend,
          threads: v.threads,
          stepsPerSecond: sps,
          samplesPerSecond: sps * seed.batch,
          vsNumpy: ratios[i].length ? median(ratios[i]) : null,
          roundStepsPerSecond: rates[i],
          roundRatios: ratios[i],
        };
      });
      results.core = {
        steps,
        rounds,
        rows,
        numpyStepsPerSecond: numpyRates.length ? median(numpyRates) : null,
        numpyRounds: numpyRates,
      };
      say(
        `\n### Core training, one process (seed recipe, ${steps} steps × ${rounds} rounds, no evaluation)\n`,
      );
      say('| backend | steps/s | samples/s | × numpy |');
      say('| --- | ---: | ---: | ---: |');
      for (const r of rows)
        say(
          `| ${label(r)} | ${fmt(r.stepsPerSecond, 0)} | ${fmt(r.samplesPerSecond, 0)} | ${r.vsNumpy === null ? '–' : fmt(r.vsNumpy, 2)} |`,
        );
      if (numpyRates.length)
        say(`| numpy | ${fmt(median(numpyRates), 0)} | ${fmt(median(numpyRates) * seed.batch, 0)} | 1.00 |`);
    }

    if (want('e2e')) {
      const descent: TrainRun[] = [];
      const numpy: NumpyRun[] = [];
      for (let r = 0; r < e2eRounds; r++) {
        descent.push(runDescentTrain());
        if (!noNumpy) numpy.push(runNumpy(packagedDataDir(), seed.iters, true));
      }
      const d = {
        wall: median(descent.map((x) => x.processSeconds)),
        acc: median(descent.map((x) => x.summary.finalTestAcc)),
        coordinatorRss: Math.max(...descent.map((x) => x.summary.peakRssMb)),
        workerRss: Math.max(...descent.map((x) => x.summary.workerPeakRssMb ?? Number.NaN)),
        workers: descent[0].summary.workers,
        backend: descent[0].summary.backend,
      };
      const n = numpy.length
        ? { wall: median(numpy.map((x) => x.processSeconds)), acc: median(numpy.map((x) => x.finalTestAcc)) }
        : null;
      results.e2e = {
        rounds: e2eRounds,
        descent: descent.map((x) => ({ processSeconds: x.processSeconds, ...x.summary })),
        numpy,
      };
      say(
        `\n### End to end: \`descent train\` (defaults: ${d.workers} local worker${d.workers === 1 ? '' : 's'}, ${d.backend}) vs numpy, ${seed.iters} steps with per-epoch evaluation, median of ${e2eRounds}\n`,
      );
      say('| | wall s | test acc | peak RSS MB |');
      say('| --- | ---: | ---: | ---: |');
      say(
        `| descent train | ${fmt(d.wall)} | ${fmt(d.acc, 4)} | coordinator ${fmt(d.coordinatorRss, 0)}, worker ${fmt(d.workerRss, 0)} |`,
      );
      if (n) {
        say(`| numpy | ${fmt(n.wall)} | ${fmt(n.acc, 4)} | |`);
        say(`\ndescent / numpy wall time: ${fmt(d.wall / n.wall, 2)}`);
      }
    }

    const out = resolve(stringFlag(values, 'out', spec) ?? 'bench/results');
    mkdirSync(out, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    writeFileSync(join(out, `bench-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(out, 'latest.md'), `${lines.join('\n')}\n`);
    process.stderr.write(`results: ${join(out, `bench-${stamp}.json`)} and ${join(out, 'latest.md')}\n`);
    return 0;
  },
};
