import type { Domain } from './validate.js';

export type SurfaceName = 'sphere' | 'bowl';

/** f(x, y) = a·x² + b·y²: both of the seed's test functions are axis-aligned quadratics. */
export interface Surface {
  a: number;
  b: number;
  formula: string;
  xTitle: string;
  yTitle: string;
  xDomain: Domain;
  yDomain: Domain;
  /** Contour values, chosen so the rings are evenly spaced along the y axis. */
  levels: number[];
  width: number;
  height: number;
}

const ringLevels = (count: number, step: number) =>
  Array.from({ length: count }, (_, i) => ((i + 1) * step) ** 2);

export const SURFACES: Record<SurfaceName, Surface> = {
  // The book's plain gradient-descent demo: f(x0, x1) = x0² + x1², started at (−3, 4).
  sphere: {
    a: 1,
    b: 1,
    formula: 'f(x0, x1) = x0² + x1²',
    xTitle: 'x0',
    yTitle: 'x1',
    // A little past ±4 so the seed's start (−3, 4) is not cut by the frame.
    xDomain: [-4.5, 4.5],
    yDomain: [-4.5, 4.5],
    levels: ringLevels(9, 0.5),
    width: 440,
    height: 440,
  },
  // optimizer_compare_naive: f(x, y) = x²/20 + y², steep in y and nearly flat in x.
  bowl: {
    a: 1 / 20,
    b: 1,
    formula: 'f(x, y) = x²/20 + y²',
    xTitle: 'x',
    yTitle: 'y',
    xDomain: [-10, 10],
    yDomain: [-5, 5],
    levels: ringLevels(9, 0.5),
    width: 800,
    height: 400,
  },
};

export interface ContourPoint {
  level: number;
  order: number;
  x: number;
  y: number;
}

/** Level sets of a·x² + b·y² are ellipses, so they are traced exactly rather than from a grid. */
export function contourPoints(surface: Surface, pointsPerRing = 180): ContourPoint[] {
  const out: ContourPoint[] = [];
  for (const level of surface.levels) {
    const rx = Math.sqrt(level / surface.a);
    const ry = Math.sqrt(level / surface.b);
    for (let k = 0; k <= pointsPerRing; k++) {
      const t = (2 * Math.PI * k) / pointsPerRing;
      out.push({ level, order: k, x: rx * Math.cos(t), y: ry * Math.sin(t) });
    }
  }
  return out;
}
