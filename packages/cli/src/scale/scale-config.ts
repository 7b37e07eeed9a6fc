import type { Exchange } from '@descent/coordinator';

/** The nets a sweep compares: the seed's, and one with about 45 times its compute per sample. */
export const SCALE_MODELS = {
  small: { hidden: [50], kind: 'two-layer', label: '784-50-10' },
  large: { hidden: [1000, 1000], kind: 'mlp', label: '784-1000-1000-10' },
} as const;
export type ScaleModel = keyof typeof SCALE_MODELS;

/** One configuration of a sweep, run in fresh processes. */
export interface ScaleConfig {
  readonly workers: number;
  readonly batch: number;
  readonly model: ScaleModel;
  /** Micro-shards per step; fixed within a sweep so every worker count computes the same weights. */
  readonly shards: number;
  /** Measured steps, after `warmup` steps that are not. */
  readonly steps: number;
  readonly warmup: number;
  readonly backend: 'js' | 'wasm';
  /** `0.5ms,10Gbit`; none for plain loopback. */
  readonly link?: string;
  /** `P,DELAY` for every worker. */
  readonly straggler?: string;
  readonly backupShards: number;
  readonly wire: 'f32' | 'f16' | 'bf16';
  /** The coordinator's `exchange` option; outcomes record what it resolved to. */
  readonly exchange: Exchange;
  /** Time-to-accuracy: evaluate every this many steps and stop at `targetAcc` (test accuracy). */
  readonly evalEvery?: number;
  readonly targetAcc?: number;
  /** Optimizer and learning rate for time-to-accuracy runs (throughput runs use the seed's SGD 0.1). */
  readonly optimizer?: string;
  readonly lr?: number;
  readonly seed: number;
  /** Where the data subset is cached for workers; the run's trace goes to `traceDir` when given. */
  readonly dataDir: string;
  readonly traceDir?: string;
}

/** A short name for files and tables, e.g. `large-b1000-w4-0.5ms,10Gbit`. */
export function configLabel(c: ScaleConfig): string {
  const parts = [c.model, `b${c.batch}`, `w${c.workers}`];
  if (c.link) parts.push(c.link);
  if (c.straggler) parts.push(`straggler${c.straggler}`);
  if (c.backupShards > 0) parts.push(`backup${c.backupShards}`);
  if (c.wire !== 'f32') parts.push(c.wire);
  if (c.exchange !== 'auto') parts.push(c.exchange);
  return parts.join('-');
}
