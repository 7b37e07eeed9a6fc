import type { TopLevelSpec } from 'vega-lite';
import { Figure } from './figure.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, THEME } from './theme.js';
import { requireNonEmpty } from './validate.js';

export interface StackedBar {
  /** The bar's label on the x axis, e.g. '4 workers'. */
  readonly bar: string;
  /** Segments bottom to top, e.g. step-time phases in ms. */
  readonly parts: readonly { readonly name: string; readonly value: number }[];
}

export interface StackedBarFigureOptions {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly width?: number;
  readonly height?: number;
}

/** One stacked bar per category, segments in a fixed order and colour (e.g. a step time split into its phases). */
export function stackedBarFigure(bars: readonly StackedBar[], opts: StackedBarFigureOptions): Figure {
  requireNonEmpty(bars.length, 'the bars');
  const names = [...new Set(bars.flatMap((b) => b.parts.map((p) => p.name)))];
  const rows = bars.flatMap((b) =>
    b.parts.map((p) => ({
      bar: b.bar,
      part: p.name,
      order: names.indexOf(p.name),
      value: Math.max(0, p.value),
    })),
  );
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    width: opts.width ?? DEFAULT_WIDTH,
    height: opts.height ?? DEFAULT_HEIGHT,
    title: opts.title,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'bar',
        type: 'nominal',
        title: opts.xTitle,
        sort: bars.map((b) => b.bar),
        axis: { labelAngle: 0 },
      },
      y: { field: 'value', type: 'quantitative', title: opts.yTitle, stack: 'zero' },
      color: {
        field: 'part',
        type: 'nominal',
        scale: { domain: names },
        legend: { title: null, orient: 'right', labelLimit: 0 },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  };
  return new Figure(spec);
}
