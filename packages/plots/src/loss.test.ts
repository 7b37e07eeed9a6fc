import { describe, expect, it } from 'vitest';
import { lossFigure, lossZoomFigure } from './loss.js';
import { syntheticLosses } from './test-data.js';
import { summarizePng } from './test-png.js';

describe('lossFigure', () => {
  it('renders an SVG with axis titles and both legend entries', async () => {
    const svg = await lossFigure(syntheticLosses(2000)).toSvg();
    for (const text of ['iteration', 'loss', 'mini-batch loss', 'smoothed (EMA, span 40)']) {
      expect(svg).toContain(`>${text}<`);
    }
  });

  it('renders a non-blank PNG of about 800×400 or more', async () => {
    const png = summarizePng(await lossFigure(syntheticLosses(2000)).toPng());
    expect(png.width).toBeGreaterThanOrEqual(800);
    expect(png.height).toBeGreaterThanOrEqual(400);
    expect(png.width).toBeLessThan(1000);
    expect(png.inkFraction).toBeGreaterThan(0.01);
    expect(png.distinctBytes).toBeGreaterThan(50);
  });

  it('renders 100,000 iterations quickly by drawing a bounded number of points', async () => {
    const started = performance.now();
    const figure = lossFigure(syntheticLosses(100_000));
    const png = summarizePng(await figure.toPng());
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(png.inkFraction).toBeGreaterThan(0.01);
    expect(JSON.stringify(figure.spec).length).toBeLessThan(200_000);
  });

  it('still renders when a diverged run logged NaN and Infinity', async () => {
    const losses = Array.from(syntheticLosses(500));
    losses[100] = Number.NaN;
    losses[200] = Number.POSITIVE_INFINITY;
    expect(await lossFigure(losses).toSvg()).toContain('>iteration<');
  });

  it('refuses an empty series with PLOT_EMPTY_DATA', () => {
    expect(() => lossFigure([])).toThrow(expect.objectContaining({ code: 'PLOT_EMPTY_DATA' }));
  });

  it('refuses a smoothing span below 1 with PLOT_INVALID_OPTION', () => {
    expect(() => lossFigure([1, 2], { smoothing: 0 })).toThrow(
      expect.objectContaining({ code: 'PLOT_INVALID_OPTION' }),
    );
  });
});

describe('lossZoomFigure', () => {
  it('shows the first 1,000 iterations on a 0–3 loss axis', async () => {
    const figure = lossZoomFigure(syntheticLosses(10_000));
    const spec = JSON.stringify(figure.spec);
    expect(spec).toContain('"domain":[0,3]');
    expect(spec).toContain('"domain":[0,999]');
    const svg = await figure.toSvg();
    expect(svg).toContain('first 1,000 iterations');
    expect(svg).toContain('>mini-batch loss<');
  });

  it('lets the caller choose how many iterations to zoom on', () => {
    expect(JSON.stringify(lossZoomFigure(syntheticLosses(500), { first: 200 }).spec)).toContain(
      '"domain":[0,199]',
    );
  });
});
