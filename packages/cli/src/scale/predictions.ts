import { parseLinkModel } from '@descent/coordinator';
import {
  fitError,
  fitStepModel,
  type ModelPoint,
  predictSamplesPerSecond,
  resultsPerStep,
  type StepModel,
} from './fit-model.js';
import type { RunOutcome } from './run-one.js';
import type { ScaleModel } from './scale-config.js';

export interface Prediction {
  readonly model: ScaleModel;
  readonly link: string;
  readonly batch: number;
  readonly workers: number;
  readonly samplesPerSecond: number;
  readonly efficiency: number;
}

export interface FittedModel {
  readonly model: ScaleModel;
  readonly coefficients: StepModel;
  readonly fitError: { readonly mean: number; readonly max: number };
  readonly points: number;
}

export const PREDICT_WORKERS = [8, 16, 32, 64, 128, 256, 512, 1024] as const;

export function pointOf(o: RunOutcome, cores: number): ModelPoint {
  const link = o.config.link ? parseLinkModel(o.config.link) : undefined;
  return {
    workers: o.config.workers,
    shards: o.config.shards,
    results: resultsPerStep(o.config.workers, o.config.shards, o.config.wire),
    batch: o.config.batch,
    cores,
    params: o.params,
    wireBytes: o.config.wire === 'f32' ? 4 : 2,
    ...(link ? { latencyMs: link.latencyMs, bitsPerSecond: link.bitsPerSecond } : {}),
  };
}

/**
 * Fits one step model per net on the plain loopback runs (no straggler, no backups, float32) that sent
 * parameters: the model's terms (a gradient up and the parameters down per worker) describe that exchange.
 */
export function fitModels(outcomes: readonly RunOutcome[], cores: number): FittedModel[] {
  const plain = outcomes.filter(
    (o) =>
      !o.config.link &&
      !o.config.straggler &&
      o.config.backupShards === 0 &&
      o.config.wire === 'f32' &&
      o.exchange === 'params' &&
      !o.config.targetAcc,
  );
  const models = [...new Set(plain.map((o) => o.config.model))];
  return models.map((model) => {
    const runs = plain.filter((o) => o.config.model === model);
    const points = runs.map((o) => pointOf(o, cores));
    const steps = runs.map((o) => (o.config.batch * 1000) / o.summary.samplesPerSecond);
    const coefficients = fitStepModel(points, steps);
    return { model, coefficients, fitError: fitError(coefficients, points, steps), points: points.length };
  });
}

/**
 * A cluster of n machines, one worker each and one micro-shard per worker (S = n, so one result per worker),
 * every worker computing at once; efficiency is against one worker on the same link.
 */
export function predict(
  fitted: readonly FittedModel[],
  params: ReadonlyMap<ScaleModel, number>,
  links: readonly string[],
  batches: readonly number[],
): Prediction[] {
  const out: Prediction[] = [];
  for (const f of fitted) {
    for (const link of links) {
      const l = parseLinkModel(link);
      for (const batch of batches) {
        const at = (workers: number): ModelPoint => ({
          workers,
          shards: workers,
          results: workers,
          cores: workers,
          batch,
          params: params.get(f.model) ?? 0,
          latencyMs: l.latencyMs,
          bitsPerSecond: l.bitsPerSecond,
        });
        const one = predictSamplesPerSecond(f.coefficients, at(1));
        for (const workers of PREDICT_WORKERS) {
          if (workers > batch) continue;
          const sps = predictSamplesPerSecond(f.coefficients, at(workers));
          out.push({
            model: f.model,
            link,
            batch,
            workers,
            samplesPerSecond: sps,
            efficiency: sps / (workers * one),
          });
        }
      }
    }
  }
  return out;
}
