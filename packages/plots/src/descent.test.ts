import { describe, expect, it } from 'vitest';
import { descentFigure, type SurfaceName } from './index.js';
import { summarizePng } from './test-png.js';

/** Plain gradient descent on a·x² + b·y², as the book's gradient_descent. */
function descend(
  a: number,
  b: number,
  start: [number, number],
  lr: number,
  steps: number,
): [number, number][] {
  const points: [number, number][] = [start];
  let [x, y] = start;
  for (let i = 0; i < steps; i++) {
    x -= lr * 2 * a * x;
    y -= lr * 2 * b * y;
    points.push([x, y]);
  }
  return points;
}

describe('descentFigure', () => {
  it('draws optimizer paths over the bowl function with a legend and the minimum', async () => {
    const paths = [
      { label: 'SGD', points: descend(1 / 20, 1, [-7, 2], 0.95, 30) },
      { label: 'slow SGD', points: descend(1 / 20, 1, [-7, 2], 0.1, 30) },
    ];
    const svg = await descentFigure('bowl', paths).toSvg();
    for (const text of ['SGD', 'slow SGD', 'minimum', 'x', 'y']) expect(svg).toContain(`>${text}<`);
    const png = summarizePng(await descentFigure('bowl', paths).toPng());
    expect(png.width).toBeGreaterThanOrEqual(800);
    expect(png.inkFraction).toBeGreaterThan(0.01);
  });

  it('draws the seed’s sphere run from (−3, 4) on a square plot titled x0/x1', async () => {
    const figure = descentFigure('sphere', [{ label: 'lr 0.1', points: descend(1, 1, [-3, 4], 0.1, 20) }]);
    const svg = await figure.toSvg();
    for (const text of ['x0', 'x1', 'lr 0.1', 'minimum']) expect(svg).toContain(`>${text}<`);
    const png = summarizePng(await figure.toPng());
    expect(png.height).toBeGreaterThan(400);
    expect(png.width).toBeLessThan(1.6 * png.height);
  });

  it('keeps drawing when a diverging path reaches Infinity', async () => {
    const points: [number, number][] = [
      [1, 1],
      [1e308, 1e308],
      [Number.POSITIVE_INFINITY, 0],
    ];
    expect(await descentFigure('sphere', [{ label: 'diverged', points }]).toSvg()).toContain('>diverged<');
  });

  it('refuses an unknown function with PLOT_INVALID_OPTION', () => {
    expect(() => descentFigure('saddle' as SurfaceName, [{ label: 'a', points: [[0, 0]] }])).toThrow(
      expect.objectContaining({ code: 'PLOT_INVALID_OPTION' }),
    );
  });

  it('refuses no paths with PLOT_EMPTY_DATA', () => {
    expect(() => descentFigure('sphere', [])).toThrow(expect.objectContaining({ code: 'PLOT_EMPTY_DATA' }));
  });
});
