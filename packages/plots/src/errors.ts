export const PlotErrorCode = {
  emptyData: 'PLOT_EMPTY_DATA',
  invalidOption: 'PLOT_INVALID_OPTION',
  fontMissing: 'PLOT_FONT_MISSING',
  renderFailed: 'PLOT_RENDER_FAILED',
} as const;

export type PlotErrorCode = (typeof PlotErrorCode)[keyof typeof PlotErrorCode];

export class PlotError extends Error {
  override readonly name = 'PlotError';
  readonly code: PlotErrorCode;

  constructor(code: PlotErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
