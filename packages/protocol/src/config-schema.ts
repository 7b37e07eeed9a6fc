import type { TrainConfig } from '@descent/core';
import { z } from 'zod';
import { count, finite } from './fields.js';

const positive = z.number().int().positive();

export const modelConfigSchema = z.object({
  kind: z.enum(['two-layer', 'mlp']),
  inputSize: positive,
  hidden: z.array(positive).max(64),
  outputSize: positive,
  activation: z.enum(['relu', 'sigmoid']),
  init: z.enum(['std', 'xavier', 'he']),
  initStd: finite,
  weightDecay: finite,
  dropout: finite,
  batchNorm: z.boolean(),
});

export const optimizerConfigSchema = z.object({
  name: z.enum(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']),
  lr: finite,
  momentum: finite,
  decayRate: finite,
  beta1: finite,
  beta2: finite,
  eps: finite,
});

/** The run config as it travels in `welcome`; its output type is core's TrainConfig. */
export const trainConfigSchema: z.ZodType<TrainConfig> = z.object({
  model: modelConfigSchema,
  optimizer: optimizerConfigSchema,
  batch: positive,
  iters: count,
  shards: positive,
  sampler: z.enum(['replacement', 'epoch']),
  seed: z.number().int(),
  evalEvery: count,
});
