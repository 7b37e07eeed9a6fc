import type { TopLevelSpec } from 'vega-lite';
import { minMaxDownsample, type XY } from './downsample.js';
import { PlotError, PlotErrorCode } from './errors.js';
import { Figure } from './figure.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, THEME } from './theme.js';
import { checkDomain, type Domain, requireNonEmpty } from './validate.js';

export interface LineSeries {
  label: string;
  points: [number, number][];
}

export interface LineFigureOptions {
  xTitle: string;
  yTitle: string;
  title: string;
  yDomain?: Domain;
  xDomain?: Domain;
  xScale?: 'linear' | 'log';
  /** Where the legend sits; 'top-right' suits falling curves, 'bottom-right' rising ones. */
  legendOrient?: 'top-right' | 'bottom-right' | 'top-left' | 'bottom-left' | 'right';
  width?: number;
  height?: number;
}

// Markers help read a handful of measurements (e.g. one per worker count) but clutter long curves.
const MAX_POINTS_WITH_MARKERS = 40;

/** A general line chart, one coloured line per series; used for loss vs samples or vs wall time. */
export function lineFigure(series: LineSeries[], opts: LineFigureOptions): Figure {
  requireNonEmpty(series.length, 'the line series');
  checkDomain(opts.yDomain, 'yDomain');
  checkDomain(opts.xDomain, 'xDomain');
  const width = opts.width ?? DEFAULT_WIDTH;
  const logX = opts.xScale === 'log';
  const rows = series.flatMap(({ label, points }) => {
    const sorted = points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0))
      .sort((p, q) => p[0] - q[0]);
    const xs = sorted.map((p) => p[0]);
    const ys = sorted.map((p) => p[1]);
    return minMaxDownsample(xs, ys, width).map((p: XY) => ({ ...p, label }));
  });
  if (logX && opts.xDomain && opts.xDomain[0] <= 0) {
    throw new PlotError(PlotErrorCode.invalidOption, 'A log x scale needs xDomain with min > 0.');
  }
  const longest = Math.max(...series.map((s) => s.points.length));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    width,
    height: opts.height ?? DEFAULT_HEIGHT,
    title: opts.title,
    data: { values: rows },
    mark: {
      type: 'line',
      strokeWidth: 2,
      // Clipping only matters with a fixed domain, and would halve the markers on the frame otherwise.
      clip: opts.yDomain !== undefined || opts.xDomain !== undefined,
      point: longest <= MAX_POINTS_WITH_MARKERS ? { filled: true, size: 60 } : false,
    },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: opts.xTitle,
        scale: { type: logX ? 'log' : 'linear', ...(opts.xDomain ? { domain: opts.xDomain } : {}) },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: opts.yTitle,
        scale: opts.yDomain ? { domain: opts.yDomain } : { zero: false },
      },
      color: {
        field: 'label',
        type: 'nominal',
        scale: { domain: series.map((s) => s.label) },
        legend: {
          title: null,
          orient: opts.legendOrient ?? 'top-right',
          symbolType: 'stroke',
          symbolSize: 300,
          labelLimit: 0,
        },
      },
    },
  };
  return new Figure(spec);
}
