import { join } from 'node:path';
import { type LineSeries, lineFigure, stackedBarFigure, writeFigure } from '@descent/plots';
import { predictSamplesPerSecond } from './fit-model.js';
import { type FittedModel, type Prediction, pointOf } from './predictions.js';
import type { ScaleRow } from './report.js';
import { SCALE_MODELS } from './scale-config.js';
import { PHASES } from './step-stats.js';

/** Throughput vs workers per batch size, the step split per worker count, and the model against the points. */
export async function writeScaleFigures(
  dir: string,
  rows: readonly ScaleRow[],
  fitted: readonly FittedModel[],
  predictions: readonly Prediction[],
  cores: number,
): Promise<string[]> {
  const written: string[] = [];
  const plain = rows.filter(
    (r) =>
      !r.outcome.config.link &&
      !r.outcome.config.straggler &&
      r.outcome.config.backupShards === 0 &&
      r.outcome.config.wire === 'f32' &&
      !r.outcome.config.targetAcc,
  );
  for (const model of Object.keys(SCALE_MODELS) as (keyof typeof SCALE_MODELS)[]) {
    const of = plain.filter((r) => r.outcome.config.model === model);
    if (of.length === 0) continue;
    const label = SCALE_MODELS[model].label;
    const batches = [...new Set(of.map((r) => r.outcome.config.batch))].sort((a, b) => a - b);
    const fit = fitted.find((f) => f.model === model);
    const series: LineSeries[] = [];
    for (const batch of batches) {
      const runs = of.filter((r) => r.outcome.config.batch === batch);
      series.push({
        label: `batch ${batch}`,
        points: runs.map((r) => [r.outcome.config.workers, r.outcome.summary.samplesPerSecond]),
      });
      if (fit)
        series.push({
          label: `batch ${batch}, model`,
          points: runs.map((r) => [
            r.outcome.config.workers,
            predictSamplesPerSecond(fit.coefficients, pointOf(r.outcome, cores)),
          ]),
        });
    }
    const base = join(dir, `throughput-${model}`);
    await writeFigure(
      lineFigure(series, {
        title: `${label}: samples/s vs workers on loopback (${cores} cores)${fit ? ', with the fitted model' : ''}`,
        xTitle: 'workers',
        yTitle: 'samples/s',
        xScale: 'log',
        legendOrient: 'right',
      }),
      base,
    );
    written.push(`${base}.svg`);
    for (const batch of batches) {
      const runs = of.filter((r) => r.outcome.config.batch === batch);
      const bars = stackedBarFigure(
        runs.map((r) => ({
          bar: String(r.outcome.config.workers),
          parts: PHASES.map((p) => ({ name: p, value: r.outcome.summary.phases[p].median })),
        })),
        {
          title: `${label}, batch ${batch}: median step time by phase`,
          xTitle: 'workers',
          yTitle: 'ms per step',
        },
      );
      const file = join(dir, `breakdown-${model}-b${batch}`);
      await writeFigure(bars, file);
      written.push(`${file}.svg`);
    }
    const preds = predictions.filter((p) => p.model === model);
    if (preds.length > 0) {
      const keys = [...new Set(preds.map((p) => `${p.link}|${p.batch}`))];
      const file = join(dir, `prediction-${model}`);
      await writeFigure(
        lineFigure(
          keys.map((k) => {
            const [link, batch] = k.split('|');
            return {
              label: `${link}, batch ${batch}`,
              points: preds.filter((p) => `${p.link}|${p.batch}` === k).map((p) => [p.workers, p.efficiency]),
            };
          }),
          {
            title: `${label}: predicted efficiency, one worker per machine`,
            xTitle: 'workers',
            yTitle: 'efficiency (speed-up / workers)',
            xScale: 'log',
            yDomain: [0, 1],
            legendOrient: 'right',
          },
        ),
        file,
      );
      written.push(`${file}.svg`);
    }
  }
  return written;
}
