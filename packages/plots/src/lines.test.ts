import { describe, expect, it } from 'vitest';
import { lineFigure } from './lines.js';
import { lossCurvesFigure } from './loss-curves.js';
import { syntheticLosses } from './test-data.js';
import { summarizePng } from './test-png.js';

describe('lineFigure', () => {
  const series = [
    {
      label: '1 worker',
      points: Array.from({ length: 50 }, (_, i): [number, number] => [i * 2, 2 / (i + 1)]),
    },
    { label: '2 workers', points: Array.from({ length: 50 }, (_, i): [number, number] => [i, 2 / (i + 1)]) },
  ];
  const opts = { title: 'Loss against wall time', xTitle: 'wall time (s)', yTitle: 'loss' };

  it('renders the titles and one legend entry per series', async () => {
    const svg = await lineFigure(series, opts).toSvg();
    for (const text of ['Loss against wall time', 'wall time (s)', 'loss', '1 worker', '2 workers']) {
      expect(svg).toContain(`>${text}<`);
    }
    expect(summarizePng(await lineFigure(series, opts).toPng()).inkFraction).toBeGreaterThan(0.01);
  });

  it('supports a log x axis and drops points it cannot place on it', async () => {
    const svg = await lineFigure(
      [
        {
          label: 'steps/s',
          points: [
            [0, 1],
            [1, 3200],
            [2, 5800],
            [4, 9000],
          ],
        },
      ],
      { ...opts, xScale: 'log', legendOrient: 'bottom-right' },
    ).toSvg();
    expect(svg).toContain('>steps/s<');
  });

  it('refuses an inverted yDomain with PLOT_INVALID_OPTION', () => {
    expect(() => lineFigure(series, { ...opts, yDomain: [1, 0] })).toThrow(
      expect.objectContaining({ code: 'PLOT_INVALID_OPTION' }),
    );
  });
});

describe('lossCurvesFigure', () => {
  it('plots several smoothed curves on a 0–1 loss axis against iterations', async () => {
    const figure = lossCurvesFigure([
      { label: 'SGD', losses: syntheticLosses(2000, 1) },
      { label: 'Adam', losses: Array.from(syntheticLosses(2000, 2), (v) => v / 3) },
    ]);
    expect(JSON.stringify(figure.spec)).toContain('"domain":[0,1]');
    const svg = await figure.toSvg();
    for (const text of ['iterations', 'loss', 'SGD', 'Adam']) expect(svg).toContain(`>${text}<`);
    const png = summarizePng(await figure.toPng());
    expect(png.width).toBeGreaterThanOrEqual(800);
    expect(png.inkFraction).toBeGreaterThan(0.01);
  });

  it('refuses a series without losses with PLOT_EMPTY_DATA naming it', () => {
    expect(() => lossCurvesFigure([{ label: 'Adam', losses: [] }])).toThrow(/Adam/);
  });
});
