import { describe, expect, it } from 'vitest';
import { stackedBarFigure } from './stacked-bars.js';

describe('stackedBarFigure', () => {
  it('renders one bar per category with its segments named in the legend', async () => {
    const figure = stackedBarFigure(
      [
        {
          bar: '1 worker',
          parts: [
            { name: 'compute', value: 4 },
            { name: 'transfer', value: 1 },
          ],
        },
        {
          bar: '2 workers',
          parts: [
            { name: 'compute', value: 2 },
            { name: 'transfer', value: 1.5 },
          ],
        },
      ],
      { title: 'step time', xTitle: 'workers', yTitle: 'ms' },
    );
    const svg = await figure.toSvg();
    expect(svg).toContain('2 workers');
    expect(svg).toContain('transfer');
  });

  it('refuses an empty figure', () => {
    expect(() => stackedBarFigure([], { title: '', xTitle: '', yTitle: '' })).toThrow();
  });
});
