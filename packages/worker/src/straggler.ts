import { Rng } from '@descent/core';
import { WorkerError, WorkerErrorCode } from './worker-error.js';

/** A simulated slow worker: on a fraction `probability` of steps, its results leave `delayMs` late. */
export interface StragglerOptions {
  readonly probability: number;
  readonly delayMs: number;
}

/** Reads `P,DELAY` as in `0.1,200` (one step in ten, 200 ms late). */
export function parseStraggler(text: string): StragglerOptions {
  const [p, delay, ...rest] = text.split(',').map((s) => Number(s.trim()));
  if (rest.length > 0 || !(p >= 0 && p <= 1) || !(delay >= 0) || !Number.isFinite(delay)) {
    throw new WorkerError(
      WorkerErrorCode.badOption,
      `straggler '${text}' is not P,DELAY with P in [0, 1] and DELAY in ms ≥ 0; e.g. 0.1,200`,
    );
  }
  return { probability: p, delayMs: delay };
}

/**
 * Decides, per step, whether this worker is slow. The draw is seeded by the worker's name and the step, so a
 * rerun straggles on the same steps. Sleeping rather than spinning: the slowness of a busy neighbour or a
 * pause, without taking a core from the other workers on this machine.
 */
export class Straggler {
  private readonly seed: number;

  constructor(
    readonly options: StragglerOptions,
    name: string,
  ) {
    let h = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    this.seed = h >>> 0;
  }

  /** Milliseconds by which this worker's results of `step` are held back. */
  delayFor(step: number): number {
    if (this.options.probability <= 0) return 0;
    return Rng.derive(this.seed, step).nextFloat() < this.options.probability ? this.options.delayMs : 0;
  }
}
