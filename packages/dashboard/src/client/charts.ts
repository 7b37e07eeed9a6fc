import type uPlot from 'uplot';
import { Chart } from './chart.js';
import type { Store } from './store.js';

const BLUE = '#1f77b4';
const ORANGE = '#ff7f0e';
const LIGHT = '#9ecae1';
const DARK = '#08519c';
const PARTS = [
  ['waitMs', 'wait for workers', '#f79009'],
  ['dispatchMs', 'dispatch', '#7a5af8'],
  ['aggregateMs', 'aggregate', '#12b76a'],
  ['optimizerMs', 'optimizer', '#f04438'],
  ['broadcastMs', 'broadcast', '#2e90fa'],
] as const;

const axis = (label: string): uPlot.Axis => ({ label, stroke: '#344054', grid: { stroke: '#eaecf0' } });
const rawSeries = (): uPlot.Series => ({ label: 'loss', stroke: LIGHT, width: 1, points: { show: false } });
const smoothSeries = (span: number): uPlot.Series => ({
  label: `EMA ${span}`,
  stroke: DARK,
  width: 2,
  points: { show: false },
});

function iterations(first: number, n: number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = first + i;
  return xs;
}

/** The page's charts: loss (all and the first 1,000 iterations), accuracy, throughput and step-time parts. */
export class Charts {
  private readonly loss: Chart;
  private readonly zoom: Chart;
  private readonly acc: Chart;
  private readonly speed: Chart;
  private readonly time: Chart;
  private span = 0;

  constructor(doc: Document) {
    const el = (id: string) => doc.getElementById(id) as HTMLElement;
    this.loss = new Chart(el('loss-chart'), (width, height) => ({
      width,
      height,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(0.5, max)] } },
      axes: [axis('iteration'), axis('loss')],
      series: [{ label: 'iteration' }, rawSeries(), smoothSeries(this.span)],
    }));
    // The seed's zoom: the first 1,000 iterations on a 0–3 loss axis.
    this.zoom = new Chart(el('zoom-chart'), (width, height) => ({
      width,
      height,
      scales: { x: { time: false, auto: false, range: [0, 1000] }, y: { auto: false, range: [0, 3] } },
      axes: [axis('iteration'), axis('loss')],
      series: [{ label: 'iteration' }, rawSeries(), smoothSeries(this.span)],
    }));
    // The seed's accuracy plot: y 0–1, test dashed; the shaded band is the train–test gap.
    this.acc = new Chart(el('acc-chart'), (width, height) => ({
      width,
      height,
      scales: {
        x: { time: false, range: (_u, _min, max) => [0, Math.max(1, max)] },
        y: { auto: false, range: [0, 1] },
      },
      axes: [axis('epoch'), axis('accuracy')],
      series: [
        { label: 'epoch', value: (_u, v) => (v == null ? '–' : v.toFixed(2)) },
        { label: 'train acc', stroke: BLUE, width: 2, points: { size: 6 } },
        { label: 'test acc', stroke: ORANGE, width: 2, dash: [8, 5], points: { size: 6 } },
      ],
      bands: [{ series: [1, 2], fill: 'rgba(255, 127, 14, 0.15)' }],
    }));
    this.speed = new Chart(el('speed-chart'), (width, height) => ({
      width,
      height,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [axis('step'), { ...axis('samples/s'), size: 70 }],
      series: [
        { label: 'step' },
        { label: 'samples/s', stroke: '#12b76a', width: 2, points: { show: false } },
      ],
    }));
    this.time = new Chart(el('time-chart'), (width, height) => ({
      width,
      height,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(0.1, max * 1.1)] } },
      axes: [axis('step'), axis('ms')],
      series: [
        { label: 'step' },
        ...PARTS.map(([, label, stroke]) => ({ label, stroke, width: 1.5, points: { show: false } })),
      ],
    }));
  }

  draw(s: Store): void {
    this.span = s.smoothingSpan;
    const n = s.loss.length;
    this.loss.set([iterations(s.firstStep, n), s.loss, s.smoothed]);
    const z = Math.max(0, Math.min(n, 1001 - s.firstStep));
    this.zoom.set([iterations(s.firstStep, z), s.loss.slice(0, z), s.smoothed.slice(0, z)]);
    this.acc.set([
      s.epochs.map((e) => e.epoch),
      s.epochs.map((e) => e.trainAcc),
      s.epochs.map((e) => e.testAcc),
    ]);
    const steps = s.timings.map((t) => t.step);
    this.speed.set([steps, s.timings.map((t) => t.samplesPerSecond)]);
    this.time.set([steps, ...PARTS.map(([key]) => s.timings.map((t) => t[key]))]);
  }
}

export const TIME_PARTS = PARTS;
