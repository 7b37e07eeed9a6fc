import { Rng, type RngState } from '../rng.js';
import type { SamplerKind } from '../train/config.js';

/** Everything needed to continue a sampler exactly where it stopped; plain JSON, saved in checkpoints. */
export type SamplerState =
  | { readonly kind: 'replacement'; readonly datasetSize: number; readonly rng: RngState }
  | {
      readonly kind: 'epoch';
      readonly datasetSize: number;
      /** The generator as it was *before* the current epoch's shuffle: replaying it rebuilds the permutation. */
      readonly epochRng: RngState;
      readonly epoch: number;
      /** How many indices of the current permutation have been handed out. */
      readonly position: number;
    };

/** Draws the indices of each global mini-batch. */
export interface Sampler {
  readonly kind: SamplerKind;
  readonly datasetSize: number;
  /** Writes the next `batch` indices into out[0 .. batch). */
  next(batch: number, out: Int32Array): void;
  state(): SamplerState;
}

export type SamplerErrorCode = 'ERR_SAMPLER_KIND' | 'ERR_SAMPLER_ARGUMENT' | 'ERR_SAMPLER_STATE';

export class SamplerError extends Error {
  readonly code: SamplerErrorCode;

  constructor(code: SamplerErrorCode, message: string) {
    super(message);
    this.name = 'SamplerError';
    this.code = code;
  }
}

/** Keeps the sampler's stream apart from the init draws that `new Rng(seed)` makes for the same run seed. */
const SAMPLER_STREAM = 0x5a3d_1e55;

export const SAMPLER_KINDS: readonly SamplerKind[] = ['replacement', 'epoch'];

/**
 * 'replacement' draws every index uniformly and independently (the seed's np.random.choice); 'epoch' walks a
 * fresh Fisher–Yates permutation per epoch, a batch running on into the next epoch when one ends.
 */
export function createSampler(kind: SamplerKind, datasetSize: number, seed: number): Sampler {
  requireDatasetSize(datasetSize);
  const rng = Rng.derive(seed, SAMPLER_STREAM);
  switch (kind) {
    case 'replacement':
      return new ReplacementSampler(datasetSize, rng);
    case 'epoch':
      return new EpochSampler(datasetSize, rng.state(), 0, 0);
    default:
      throw unknownKind(kind);
  }
}

/**
 * A sampler that continues exactly where the one that saved `state` stopped. Takes `unknown` because the
 * state comes back from a checkpoint's JSON; every field is checked before use.
 */
export function restoreSampler(state: SamplerState | unknown, datasetSize: number): Sampler {
  requireDatasetSize(datasetSize);
  if (state === null || typeof state !== 'object') {
    throw new SamplerError('ERR_SAMPLER_STATE', `sampler state must be an object, got ${String(state)}`);
  }
  const saved = state as Readonly<Record<string, unknown>>;
  if (saved.datasetSize !== datasetSize) {
    throw new SamplerError(
      'ERR_SAMPLER_STATE',
      `sampler state was saved for a data set of ${String(saved.datasetSize)} samples, but this one has ` +
        `${datasetSize}; resume with the same training data`,
    );
  }
  switch (saved.kind) {
    case 'replacement':
      return new ReplacementSampler(datasetSize, Rng.fromState(checkRngState(saved.rng, 'rng')));
    case 'epoch': {
      const { epoch, position } = saved;
      if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) {
        throw new SamplerError(
          'ERR_SAMPLER_STATE',
          `sampler state epoch must be an integer ≥ 0, got ${String(epoch)}`,
        );
      }
      if (
        typeof position !== 'number' ||
        !Number.isSafeInteger(position) ||
        position < 0 ||
        position > datasetSize
      ) {
        throw new SamplerError(
          'ERR_SAMPLER_STATE',
          `sampler state position must be an integer in [0, ${datasetSize}], got ${String(position)}`,
        );
      }
      return new EpochSampler(datasetSize, checkRngState(saved.epochRng, 'epochRng'), epoch, position);
    }
    default:
      throw unknownKind(saved.kind);
  }
}

class ReplacementSampler implements Sampler {
  readonly kind = 'replacement';

  constructor(
    readonly datasetSize: number,
    private readonly rng: Rng,
  ) {}

  next(batch: number, out: Int32Array): void {
    requireBatch(batch, out);
    for (let i = 0; i < batch; i++) out[i] = this.rng.nextInt(this.datasetSize);
  }

  state(): SamplerState {
    return { kind: 'replacement', datasetSize: this.datasetSize, rng: this.rng.state() };
  }
}

class EpochSampler implements Sampler {
  readonly kind = 'epoch';
  private readonly permutation: Int32Array;
  private readonly rng: Rng;
  private epochRng: RngState;

  constructor(
    readonly datasetSize: number,
    epochRng: RngState,
    private epoch: number,
    private position: number,
  ) {
    this.permutation = new Int32Array(datasetSize);
    this.rng = Rng.fromState(epochRng);
    this.epochRng = epochRng;
    this.shuffle();
  }

  next(batch: number, out: Int32Array): void {
    requireBatch(batch, out);
    for (let i = 0; i < batch; i++) {
      if (this.position === this.datasetSize) {
        this.epoch += 1;
        this.position = 0;
        this.epochRng = this.rng.state();
        this.shuffle();
      }
      out[i] = this.permutation[this.position++];
    }
  }

  state(): SamplerState {
    const { datasetSize, epochRng, epoch, position } = this;
    return { kind: 'epoch', datasetSize, epochRng: [...epochRng], epoch, position };
  }

  /** Fisher–Yates from the identity, so the permutation depends on the generator state alone. */
  private shuffle(): void {
    const p = this.permutation;
    for (let i = 0; i < p.length; i++) p[i] = i;
    for (let i = p.length - 1; i > 0; i--) {
      const j = this.rng.nextInt(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
  }
}

function requireDatasetSize(datasetSize: number): void {
  if (!Number.isSafeInteger(datasetSize) || datasetSize <= 0 || datasetSize > 0x7fffffff) {
    throw new SamplerError(
      'ERR_SAMPLER_ARGUMENT',
      `a sampler needs a data set of at least one sample, got a size of ${datasetSize}`,
    );
  }
}

function requireBatch(batch: number, out: Int32Array): void {
  if (!Number.isSafeInteger(batch) || batch <= 0 || batch > out.length) {
    throw new SamplerError(
      'ERR_SAMPLER_ARGUMENT',
      `batch must be an integer in [1, ${out.length}] (the output buffer's length), got ${batch}`,
    );
  }
}

function checkRngState(words: unknown, field: string): RngState {
  const valid =
    Array.isArray(words) &&
    words.length === 4 &&
    words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
    words.some((w) => w !== 0);
  if (!valid) {
    throw new SamplerError(
      'ERR_SAMPLER_STATE',
      `sampler state ${field} must be four 32-bit unsigned integers, not all zero; the checkpoint is damaged`,
    );
  }
  const [a, b, c, d] = words as number[];
  return [a, b, c, d];
}

function unknownKind(kind: unknown): SamplerError {
  return new SamplerError(
    'ERR_SAMPLER_KIND',
    `unknown sampler '${String(kind)}'; use one of ${SAMPLER_KINDS.join(', ')}`,
  );
}
