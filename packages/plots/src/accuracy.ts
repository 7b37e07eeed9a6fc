import type { TopLevelSpec } from 'vega-lite';
import { PlotError, PlotErrorCode } from './errors.js';
import { Figure } from './figure.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, PALETTE, THEME } from './theme.js';
import { requireNonEmpty } from './validate.js';

export interface EpochAccuracy {
  epoch: number;
  trainAcc: number;
  testAcc: number;
}

export interface AccuracyFigureOptions {
  title?: string;
  width?: number;
  height?: number;
}

const TRAIN = 'train acc';
const TEST = 'test acc';

/** Train vs test accuracy per epoch as the seed plots it: y 0–1, test dashed, legend lower right. */
export function accuracyFigure(epochs: EpochAccuracy[], opts: AccuracyFigureOptions = {}): Figure {
  requireNonEmpty(epochs.length, 'the accuracy history');
  const rows = epochs.flatMap((e) => {
    for (const value of [e.epoch, e.trainAcc, e.testAcc]) {
      if (!Number.isFinite(value)) {
        throw new PlotError(
          PlotErrorCode.invalidOption,
          `Accuracy entries need finite epoch, trainAcc and testAcc; got ${JSON.stringify(e)}.`,
        );
      }
    }
    return [
      { epoch: e.epoch, accuracy: e.trainAcc, series: TRAIN },
      { epoch: e.epoch, accuracy: e.testAcc, series: TEST },
    ];
  });
  const domain = [TRAIN, TEST];
  const color = { field: 'series', scale: { domain, range: [PALETTE[0], PALETTE[1]] } };
  // The seed's x axis starts at epoch 0 even though the first evaluation comes after a whole epoch.
  const x = {
    field: 'epoch',
    type: 'quantitative' as const,
    title: 'epochs',
    scale: { nice: false, domainMin: 0 },
  };
  const y = {
    field: 'accuracy',
    type: 'quantitative' as const,
    title: 'accuracy',
    scale: { domain: [0, 1] },
  };
  // The legend comes from the line layer alone so its symbols show the dash; markers use fixed
  // values per series, as any scale they shared would merge their shapes into the legend.
  const legend = { title: null, orient: 'bottom-right' as const, symbolType: 'stroke', symbolStrokeWidth: 2 };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    width: opts.width ?? DEFAULT_WIDTH,
    height: opts.height ?? DEFAULT_HEIGHT,
    title: opts.title ?? 'Accuracy per epoch',
    data: { values: rows },
    encoding: { x, y },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          color: { ...color, legend },
          strokeDash: {
            field: 'series',
            scale: {
              domain,
              range: [
                [1, 0],
                [6, 4],
              ],
            },
            legend,
          },
        },
      },
      markers(TRAIN, PALETTE[0], 'circle'),
      markers(TEST, PALETTE[1], 'square'),
    ],
  };
  return new Figure(spec);
}

function markers(series: string, color: string, shape: 'circle' | 'square') {
  return {
    transform: [{ filter: { field: 'series', equal: series } }],
    mark: { type: 'point' as const, filled: true, size: 45, opacity: 1, color, shape },
  };
}
