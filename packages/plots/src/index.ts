export { type AccuracyFigureOptions, accuracyFigure, type EpochAccuracy } from './accuracy.js';
export { type DescentFigureOptions, type DescentPath, descentFigure } from './descent.js';
export { PlotError, PlotErrorCode } from './errors.js';
export { Figure, type WrittenFigure, writeFigure } from './figure.js';
export { type LineFigureOptions, type LineSeries, lineFigure } from './lines.js';
export { type LossFigureOptions, type LossZoomFigureOptions, lossFigure, lossZoomFigure } from './loss.js';
export { type LossCurvesFigureOptions, type LossSeries, lossCurvesFigure } from './loss-curves.js';
export { type StackedBar, type StackedBarFigureOptions, stackedBarFigure } from './stacked-bars.js';
export type { SurfaceName } from './surfaces.js';
