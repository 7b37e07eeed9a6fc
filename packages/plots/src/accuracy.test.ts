import { describe, expect, it } from 'vitest';
import { accuracyFigure } from './accuracy.js';
import { summarizePng } from './test-png.js';

const history = Array.from({ length: 17 }, (_, epoch) => ({
  epoch,
  trainAcc: 0.97 - 0.87 * Math.exp(-epoch),
  testAcc: 0.965 - 0.86 * Math.exp(-epoch),
}));

describe('accuracyFigure', () => {
  it('renders axis titles "epochs" and "accuracy" and a train/test legend', async () => {
    const svg = await accuracyFigure(history).toSvg();
    for (const text of ['epochs', 'accuracy', 'train acc', 'test acc']) expect(svg).toContain(`>${text}<`);
  });

  it('draws the test curve dashed on a 0–1 axis with the legend lower right', () => {
    const spec = JSON.stringify(accuracyFigure(history).spec);
    expect(spec).toContain('"range":[[1,0],[6,4]]');
    expect(spec).toContain('"domain":[0,1]');
    expect(spec).toContain('"orient":"bottom-right"');
  });

  it('starts the epoch axis at 0, as the seed does, when the first evaluation is later', () => {
    const later = history.slice(1);
    expect(JSON.stringify(accuracyFigure(later).spec)).toContain('"domainMin":0');
  });

  it('renders a non-blank PNG', async () => {
    const png = summarizePng(await accuracyFigure(history).toPng());
    expect(png.width).toBeGreaterThanOrEqual(800);
    expect(png.height).toBeGreaterThanOrEqual(400);
    expect(png.inkFraction).toBeGreaterThan(0.01);
  });

  it('refuses NaN accuracy with PLOT_INVALID_OPTION naming the entry', () => {
    expect(() => accuracyFigure([{ epoch: 0, trainAcc: Number.NaN, testAcc: 0.1 }])).toThrow(
      expect.objectContaining({ code: 'PLOT_INVALID_OPTION' }),
    );
  });

  it('refuses an empty history with PLOT_EMPTY_DATA', () => {
    expect(() => accuracyFigure([])).toThrow(expect.objectContaining({ code: 'PLOT_EMPTY_DATA' }));
  });
});
