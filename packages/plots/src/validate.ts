import { PlotError, PlotErrorCode } from './errors.js';

export type Domain = [number, number];

export function requireNonEmpty(length: number, what: string): void {
  if (length === 0) throw new PlotError(PlotErrorCode.emptyData, `Cannot plot ${what}: it is empty.`);
}

export function checkDomain(domain: Domain | undefined, what: string): void {
  if (domain === undefined) return;
  const [lo, hi] = domain;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new PlotError(
      PlotErrorCode.invalidOption,
      `${what} must be [min, max] with finite min < max, got [${lo}, ${hi}].`,
    );
  }
}

export function checkSpan(span: number | undefined): void {
  if (span === undefined) return;
  if (!(Number.isFinite(span) && span >= 1)) {
    throw new PlotError(PlotErrorCode.invalidOption, `smoothing span must be a number >= 1, got ${span}.`);
  }
}
