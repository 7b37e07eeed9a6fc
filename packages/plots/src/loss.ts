import type { TopLevelSpec } from 'vega-lite';
import { indices, minMaxDownsample, strideDownsample, type XY } from './downsample.js';
import { Figure } from './figure.js';
import { defaultSpan, ema } from './smooth.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, THEME } from './theme.js';
import { checkDomain, checkSpan, type Domain, requireNonEmpty } from './validate.js';

export interface LossFigureOptions {
  title?: string;
  /** EMA span in iterations; defaults to about 2% of the plotted iterations. */
  smoothing?: number;
  yDomain?: Domain;
  width?: number;
  height?: number;
}

export interface LossZoomFigureOptions extends LossFigureOptions {
  /** How many leading iterations to show (the seed zooms on 1,000). */
  first?: number;
}

const RAW_LABEL = 'mini-batch loss';
const RAW_COLOR = '#9ec3e6';
const SMOOTH_COLOR = '#1f4e8c';

/** Mini-batch loss against iteration over the whole run, raw (faint) and smoothed. */
export function lossFigure(losses: Float64Array | number[], opts: LossFigureOptions = {}): Figure {
  requireNonEmpty(losses.length, 'the loss series');
  return rawAndSmoothed(losses, losses.length, {
    title: 'Training loss',
    ...opts,
  });
}

/** The seed's close-up: the first 1,000 iterations with the loss axis fixed to 0–3. */
export function lossZoomFigure(losses: Float64Array | number[], opts: LossZoomFigureOptions = {}): Figure {
  requireNonEmpty(losses.length, 'the loss series');
  const first = opts.first ?? 1000;
  checkDomain([0, first], 'first');
  const head = losses.slice(0, first);
  return rawAndSmoothed(head, first, {
    title: `Training loss, first ${first.toLocaleString('en-US')} iterations`,
    yDomain: [0, 3],
    ...opts,
  });
}

function rawAndSmoothed(losses: ArrayLike<number>, xMax: number, opts: LossFigureOptions): Figure {
  checkSpan(opts.smoothing);
  checkDomain(opts.yDomain, 'yDomain');
  const width = opts.width ?? DEFAULT_WIDTH;
  const height = opts.height ?? DEFAULT_HEIGHT;
  const span = opts.smoothing ?? defaultSpan(losses.length);
  const xs = indices(losses.length);
  // Two points per pixel column keep the envelope of even 100k iterations intact.
  const raw = minMaxDownsample(xs, losses, width);
  const smooth = strideDownsample(xs, ema(losses, span), 2 * width);
  const smoothLabel = `smoothed (EMA, span ${span})`;
  const color = {
    scale: { domain: [RAW_LABEL, smoothLabel], range: [RAW_COLOR, SMOOTH_COLOR] },
    legend: { title: null, orient: 'top-right' as const, symbolType: 'stroke', labelLimit: 0 },
  };
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: 'iteration',
    scale: { domain: [0, Math.max(1, xMax - 1)], nice: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: 'loss',
    scale: opts.yDomain ? { domain: opts.yDomain } : { zero: true },
  };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    width,
    height,
    ...(opts.title ? { title: opts.title } : {}),
    layer: [
      {
        data: { values: raw satisfies XY[] },
        mark: { type: 'line', strokeWidth: 0.8, clip: true },
        encoding: { x, y, color: { datum: RAW_LABEL, ...color } },
      },
      {
        data: { values: smooth satisfies XY[] },
        mark: { type: 'line', strokeWidth: 2.2, clip: true },
        encoding: { x, y, color: { datum: smoothLabel, ...color } },
      },
    ],
  };
  return new Figure(spec);
}
