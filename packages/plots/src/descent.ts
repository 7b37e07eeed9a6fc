import type { TopLevelSpec } from 'vega-lite';
import { PlotError, PlotErrorCode } from './errors.js';
import { Figure } from './figure.js';
import { contourPoints, SURFACES, type SurfaceName } from './surfaces.js';
import { THEME } from './theme.js';
import { requireNonEmpty } from './validate.js';

export interface DescentPath {
  label: string;
  points: [number, number][];
}

export interface DescentFigureOptions {
  title?: string;
}

/** Optimizer paths drawn over the contours of one of the seed's 2-D test functions. */
export function descentFigure(
  fn: SurfaceName,
  paths: DescentPath[],
  opts: DescentFigureOptions = {},
): Figure {
  const surface = SURFACES[fn];
  if (!surface) {
    throw new PlotError(
      PlotErrorCode.invalidOption,
      `Unknown function '${String(fn)}'; use one of: ${Object.keys(SURFACES).join(', ')}.`,
    );
  }
  requireNonEmpty(paths.length, 'the optimizer paths');
  const steps = paths.flatMap(({ label, points }) =>
    points
      // A diverging optimizer leaves the plot; drop what cannot be drawn rather than fail.
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y], step) => ({ label, step, x, y })),
  );
  const labels = paths.map((p) => p.label);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: surface.xTitle,
    scale: { domain: surface.xDomain, nice: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: surface.yTitle,
    scale: { domain: surface.yDomain, nice: false },
  };
  const color = {
    field: 'label',
    type: 'nominal' as const,
    scale: { domain: labels },
    legend: { title: null, orient: 'right' as const, symbolType: 'circle', labelLimit: 0 },
  };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    width: surface.width,
    height: surface.height,
    title: opts.title ?? surface.formula,
    encoding: { x, y },
    layer: [
      {
        data: { values: contourPoints(surface) },
        mark: { type: 'line', color: '#b9c6d6', strokeWidth: 1, clip: true },
        encoding: { detail: { field: 'level' }, order: { field: 'order' } },
      },
      {
        data: { values: steps },
        layer: [
          {
            mark: { type: 'line', strokeWidth: 1.8, clip: true },
            encoding: { color, detail: { field: 'label' }, order: { field: 'step' } },
          },
          {
            mark: { type: 'point', filled: true, size: 28, opacity: 1, clip: true },
            encoding: { color },
          },
        ],
      },
      {
        data: { values: [{ x: 0, y: 0, note: 'minimum' }] },
        layer: [
          {
            mark: {
              type: 'point',
              shape: 'cross',
              size: 260,
              color: '#111111',
              filled: true,
              strokeWidth: 1,
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 8, dy: 12, fontSize: 12, color: '#222222' },
            encoding: { text: { field: 'note' } },
          },
        ],
      },
    ],
  };
  return new Figure(spec);
}
