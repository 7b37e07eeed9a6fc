import uPlot from 'uplot';

const HEIGHT = 240;

/**
 * One uPlot chart in a page element, created on the first data and updated in place after that; the element's
 * `data-points` says how many x values it draws (read by the browser test).
 */
export class Chart {
  private plot: uPlot | null = null;

  constructor(
    private readonly el: HTMLElement,
    private readonly options: (width: number, height: number) => uPlot.Options,
  ) {
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT })).observe(el);
  }

  set(data: uPlot.AlignedData): void {
    if (this.plot) this.plot.setData(data);
    else this.plot = new uPlot(this.options(this.width(), HEIGHT), data, this.el);
    this.el.dataset.points = String(data[0].length);
  }

  private width(): number {
    return Math.max(200, this.el.clientWidth);
  }
}
