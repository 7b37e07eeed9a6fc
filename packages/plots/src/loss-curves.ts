import { indices, strideDownsample } from './downsample.js';
import type { Figure } from './figure.js';
import { lineFigure } from './lines.js';
import { defaultSpan, ema } from './smooth.js';
import { checkSpan, type Domain, requireNonEmpty } from './validate.js';

export interface LossSeries {
  label: string;
  losses: number[] | Float64Array;
}

export interface LossCurvesFigureOptions {
  title?: string;
  /** EMA span in iterations; defaults to about 2% of the longest series. */
  smoothing?: number;
  /** The book's optimizer comparison clips the loss axis to 0–1. */
  yDomain?: Domain;
  xTitle?: string;
  width?: number;
  height?: number;
}

/** Several smoothed loss curves in one plot, as in the book's optimizer comparison on MNIST. */
export function lossCurvesFigure(series: LossSeries[], opts: LossCurvesFigureOptions = {}): Figure {
  requireNonEmpty(series.length, 'the loss curves');
  checkSpan(opts.smoothing);
  const longest = Math.max(...series.map((s) => s.losses.length));
  const span = opts.smoothing ?? defaultSpan(longest);
  const curves = series.map(({ label, losses }) => {
    requireNonEmpty(losses.length, `the losses of '${label}'`);
    const xs = indices(losses.length);
    // Smoothed curves have no spikes to keep, so a stride is as faithful as min/max here.
    const points = strideDownsample(xs, ema(losses, span), 2000).map((p): [number, number] => [p.x, p.y]);
    return { label, points };
  });
  return lineFigure(curves, {
    title: opts.title ?? `Training loss (EMA, span ${span})`,
    xTitle: opts.xTitle ?? 'iterations',
    yTitle: 'loss',
    yDomain: opts.yDomain ?? [0, 1],
    ...(opts.width ? { width: opts.width } : {}),
    ...(opts.height ? { height: opts.height } : {}),
  });
}
