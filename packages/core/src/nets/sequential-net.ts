import { Affine } from '../layers/affine.js';
import { updateRunningStats } from '../layers/batch-norm.js';
import { checkPositiveInteger } from '../layers/checks.js';
import type { Layer } from '../layers/layer.js';
import { SoftmaxWithLoss } from '../layers/softmax-with-loss.js';
import { Rng } from '../rng.js';
import type { Backend, PixelList } from '../tensor/backend.js';
import type { FactoredOutcome, FactorLayout, Mode, Net, ParamSpec, ShardOutcome } from './net.js';

type SegmentedBackward = NonNullable<Layer['backwardSegmented']>;

/** How a parameter tensor starts: `std`·N(0, 1) draws, or every element set to `fill`. */
export type ParamInit = { readonly std: number } | { readonly fill: number };

export interface ParamDecl {
  readonly name: string;
  readonly shape: readonly number[];
  readonly decay: boolean;
  readonly init: ParamInit;
}

/** A named slice of the non-trainable state (batch-norm running means and variances). */
export interface StatDecl {
  readonly name: string;
  readonly length: number;
}

/** What a net's layers are built from: views into the net's buffers, by tensor name. */
export interface NetViews {
  readonly maxRows: number;
  param(name: string): Float32Array;
  grad(name: string): Float32Array;
  stat(name: string): Float32Array;
  statSum(name: string): Float32Array;
}

export interface SequentialNetOptions extends SharedParamsOption {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly maxRows: number;
  readonly seed: number;
  readonly weightDecay: number;
  readonly params: readonly ParamDecl[];
  readonly stats: readonly StatDecl[];
  /** The layers below the loss, in forward order; a first Affine is used without dx. */
  readonly layers: (views: NetViews) => Layer[];
}

export interface SharedParamsOption {
  /**
   * Another net's parameters, in this net's backend memory, to compute with as they are (a second thread's
   * net over the same weights): neither allocated, initialised nor freed here.
   */
  readonly sharedParams?: Float32Array;
}

/**
 * A list of layers plus SoftmaxWithLoss (the book's nets), over one contiguous parameter buffer and one
 * gradient buffer laid out by `specs`. Parameters are initialised in spec order from `new Rng(seed)`.
 */
export class SequentialNet implements Net {
  readonly backend: Backend;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly maxRows: number;
  readonly firstWidth: number;
  readonly weightDecay: number;
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly specs: readonly ParamSpec[];
  readonly stats: Float32Array;
  readonly statsSum: Float32Array;
  /** Where each running statistic (mean1, var1, …) sits in `stats` and `statsSum`. */
  readonly statSpecs: readonly ParamSpec[];
  readonly layers: readonly Layer[];
  readonly lossLayer: SoftmaxWithLoss;
  private readonly first: Affine;
  /** Every layer's segmented backward after the first, when all have one; else null. */
  private readonly segmented: SegmentedBackward[] | null;
  readonly factors: FactorLayout | null;
  private readonly ownsParams: boolean;
  /** The last gradient pass, when it was gradientFactored: what factoredWeights needs of it. */
  private lastFactored: { dout: Float32Array; rows: number; bounds: Int32Array; segments: number } | null =
    null;

  constructor(backend: Backend, options: SequentialNetOptions) {
    const { inputSize, outputSize, maxRows, weightDecay } = options;
    checkPositiveInteger('inputSize', inputSize);
    checkPositiveInteger('outputSize', outputSize);
    checkPositiveInteger('maxRows', maxRows);
    if (!(weightDecay >= 0)) throw new RangeError(`weightDecay must be ≥ 0, got ${weightDecay}`);
    this.backend = backend;
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.maxRows = maxRows;
    this.weightDecay = weightDecay;

    this.specs = layout(options.params.map((p) => ({ name: p.name, shape: p.shape, decay: p.decay })));
    this.statSpecs = layout(options.stats.map((s) => ({ name: s.name, shape: [s.length], decay: false })));
    const length = totalLength(this.specs);
    const shared = options.sharedParams;
    if (shared !== undefined && shared.length !== length) {
      throw new RangeError(
        `sharedParams holds ${shared.length} values, but this net has ${length} parameters: share a net of the same model`,
      );
    }
    this.ownsParams = shared === undefined;
    this.params = shared ?? backend.alloc(length);
    this.grads = backend.alloc(length);
    this.stats = backend.alloc(totalLength(this.statSpecs));
    this.statsSum = backend.alloc(this.stats.length);
    if (this.ownsParams) initParams(this.params, this.specs, options.params, new Rng(options.seed));

    const find = (specs: readonly ParamSpec[], name: string) => {
      const spec = specs.find((s) => s.name === name);
      if (spec === undefined) throw new Error(`no tensor named '${name}' in this net`);
      return spec;
    };
    const view = (buffer: Float32Array, spec: ParamSpec) =>
      buffer.subarray(spec.offset, spec.offset + spec.length);
    this.layers = options.layers({
      maxRows,
      param: (name) => view(this.params, find(this.specs, name)),
      grad: (name) => view(this.grads, find(this.specs, name)),
      stat: (name) => view(this.stats, find(this.statSpecs, name)),
      statSum: (name) => view(this.statsSum, find(this.statSpecs, name)),
    });
    this.lossLayer = new SoftmaxWithLoss(backend, outputSize, maxRows);
    const [first, ...rest] = this.layers;
    if (!(first instanceof Affine))
      throw new Error('the first layer of a net must be an Affine: it reads pixel bytes');
    this.first = first;
    this.firstWidth = first.outputSize;
    const backwards = rest.map((layer) => layer.backwardSegmented?.bind(layer));
    this.segmented = backwards.every((b) => b !== undefined) ? (backwards as SegmentedBackward[]) : null;
    this.factors =
      this.segmented !== null && first.W.byteOffset === this.params.byteOffset
        ? { weights: first.W.length, width: first.outputSize }
        : null;
  }

  predict(x: Float32Array, rows: number, mode: Mode, rng?: Rng): Float32Array {
    this.lastFactored = null;
    if (!Number.isInteger(rows) || rows < 1 || rows > this.maxRows) {
      throw new RangeError(
        `rows must be an integer in [1, ${this.maxRows}] (the net's maxRows), got ${rows}`,
      );
    }
    if (x.length < rows * this.inputSize) {
      throw new RangeError(
        `x holds ${x.length} values, fewer than rows × inputSize = ${rows * this.inputSize}`,
      );
    }
    let out = x;
    for (const layer of this.layers) out = layer.forward(out, rows, mode, rng);
    return out;
  }

  gradientSum(x: Float32Array, labels: Int32Array, rows: number, rng: Rng): ShardOutcome {
    const outcome = this.scored(this.predict(x, rows, 'train', rng), labels, rows);
    let dout = this.lossLayer.backward(rows, 1);
    for (let i = this.layers.length - 1; i > 0; i--) dout = this.layers[i].backward(dout, rows);
    this.first.backwardParams(dout, rows);
    return outcome;
  }

  get segmentable(): boolean {
    return this.segmented !== null;
  }

  gradientSegmented(
    pixels: PixelList,
    labels: Int32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
  ): ShardOutcome {
    return this.segmentedPass(pixels, labels, rows, bounds, segments, true).outcome;
  }

  gradientFactored(
    pixels: PixelList,
    labels: Int32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
  ): FactoredOutcome {
    if (this.factors === null) {
      throw new Error("gradientFactored: this net's first-layer gradient cannot be left as factors");
    }
    const { outcome, dout } = this.segmentedPass(pixels, labels, rows, bounds, segments, false);
    this.lastFactored = { dout, rows, bounds, segments };
    return { ...outcome, factor: dout.subarray(0, rows * this.factors.width) };
  }

  factoredWeights(into: Float32Array): void {
    const last = this.lastFactored;
    if (last === null) {
      throw new Error('factoredWeights: the last gradient pass of this net was not gradientFactored');
    }
    this.first.weightGradientSegmented(last.dout, last.rows, last.bounds, last.segments, into);
  }

  private segmentedPass(
    pixels: PixelList,
    labels: Int32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
    firstWeights: boolean,
  ): { outcome: ShardOutcome; dout: Float32Array } {
    this.lastFactored = null;
    const segmented = this.segmented;
    if (segmented === null) {
      throw new Error(
        'gradientSegmented: this net has layers (dropout, batch norm) that need one shard at a time',
      );
    }
    const logits = this.forwardListed(pixels, rows, 'train');
    const lossSum = this.lossLayer.forwardSegmented(logits, labels, rows, bounds, segments);
    const correct = this.backend.countCorrect(logits, labels, rows, this.outputSize);
    let dout = this.lossLayer.backward(rows, 1);
    for (let i = segmented.length - 1; i >= 0; i--) dout = segmented[i](dout, rows, bounds, segments);
    this.first.backwardParamsSegmented(dout, rows, bounds, segments, firstWeights);
    return { outcome: { lossSum, correct }, dout };
  }

  evaluate(x: Float32Array, labels: Int32Array, rows: number): ShardOutcome {
    return this.scored(this.predict(x, rows, 'eval'), labels, rows);
  }

  evaluateListed(pixels: PixelList, labels: Int32Array, rows: number): ShardOutcome {
    this.lastFactored = null;
    return this.scored(this.forwardListed(pixels, rows, 'eval'), labels, rows);
  }

  /** The logits of listed pixel bytes: the first layer reads them itself (Affine.forwardListed). */
  private forwardListed(pixels: PixelList, rows: number, mode: Mode): Float32Array {
    let logits = this.first.forwardListed(pixels, rows);
    for (let i = 1; i < this.layers.length; i++) logits = this.layers[i].forward(logits, rows, mode);
    return logits;
  }

  /** Loss sum and correct count of `logits`. */
  private scored(logits: Float32Array, labels: Int32Array, rows: number): ShardOutcome {
    const lossSum = this.lossLayer.forward(logits, labels, rows);
    return { lossSum, correct: this.backend.countCorrect(logits, labels, rows, this.outputSize) };
  }

  updateStats(statsSum: Float32Array, batchSize: number): void {
    if (this.stats.length > 0) updateRunningStats(this.backend, this.stats, statsSum, batchSize);
  }

  /** Gives every buffer of the net and its layers back to the backend; the net is unusable afterwards. */
  dispose(): void {
    for (const layer of this.layers) layer.dispose();
    this.lossLayer.dispose();
    if (this.ownsParams) this.backend.free(this.params);
    for (const buffer of [this.grads, this.stats, this.statsSum]) this.backend.free(buffer);
  }
}

function layout(tensors: readonly { name: string; shape: readonly number[]; decay: boolean }[]): ParamSpec[] {
  const specs: ParamSpec[] = [];
  let offset = 0;
  for (const { name, shape, decay } of tensors) {
    if (specs.some((s) => s.name === name)) throw new Error(`tensor name '${name}' is used twice`);
    const length = shape.reduce((a, b) => a * b, 1);
    specs.push({ name, shape: [...shape], offset, length, decay });
    offset += length;
  }
  return specs;
}

function totalLength(specs: readonly ParamSpec[]): number {
  return specs.reduce((sum, s) => sum + s.length, 0);
}

function initParams(
  params: Float32Array,
  specs: readonly ParamSpec[],
  decls: readonly ParamDecl[],
  rng: Rng,
): void {
  specs.forEach((spec, k) => {
    const init = decls[k].init;
    const view = params.subarray(spec.offset, spec.offset + spec.length);
    if ('std' in init) for (let i = 0; i < view.length; i++) view[i] = init.std * rng.nextGaussian();
    else view.fill(init.fill);
  });
}
