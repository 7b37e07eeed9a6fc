import { ErrorCode } from './codes.js';
import type { EvalResult, Result } from './messages.js';
import { ProtocolError } from './protocol-error.js';
import { firstNonFinite } from './typed-arrays.js';

/**
 * What the schema cannot know: a result's buffers must match the run's net exactly and hold only finite
 * numbers, and its counts must fit the shard. Returns the reason to refuse it, or null.
 */
export interface ResultProblem {
  readonly code: ErrorCode;
  readonly message: string;
  /** The buffers held NaN or ±Infinity (as opposed to a malformed result). */
  readonly nonFinite: boolean;
}

/** The sizes a run's results must have: `factorWidth` is 0 unless the run is factored (see `welcome`). */
export interface ResultSizes {
  readonly grad: number;
  readonly stats: number;
  readonly factorWidth: number;
}

export function checkResult(result: Result, sizes: ResultSizes, expectedRows: number): ResultProblem | null {
  const bad = (message: string, nonFinite = false) => ({ code: ErrorCode.badResult, message, nonFinite });
  if (result.grad.length !== sizes.grad) {
    return bad(`gradient has ${result.grad.length} values, expected ${sizes.grad} for this run’s net`);
  }
  if (result.stats.length !== sizes.stats) {
    return bad(`stats have ${result.stats.length} values, the net has ${sizes.stats}`);
  }
  if (result.rows !== expectedRows)
    return bad(`result covers ${result.rows} rows, the shard has ${expectedRows}`);
  if (result.correct > result.rows) return bad(`correct count ${result.correct} exceeds ${result.rows} rows`);
  const factorLength = result.factor?.length ?? 0;
  if (
    factorLength !== expectedRows * sizes.factorWidth ||
    (result.factor !== undefined) !== sizes.factorWidth > 0
  ) {
    return bad(
      sizes.factorWidth > 0
        ? `factor has ${factorLength} values, expected ${expectedRows} rows × ${sizes.factorWidth}`
        : 'this run does not take factors, but the result carries one',
    );
  }
  const g = firstNonFinite(result.grad);
  if (g >= 0) return bad(`gradient value ${g} is ${result.grad[g]}`, true);
  const s = firstNonFinite(result.stats);
  if (s >= 0) return bad(`stats value ${s} is ${result.stats[s]}`, true);
  if (result.factor !== undefined) {
    const f = firstNonFinite(result.factor);
    if (f >= 0) return bad(`factor value ${f} is ${result.factor[f]}`, true);
  }
  return null;
}

export function checkEvalResult(result: EvalResult, expectedRows: number): ProtocolError | null {
  if (
    result.rows !== expectedRows ||
    result.end - result.start !== expectedRows ||
    result.correct > result.rows
  ) {
    return new ProtocolError(
      ErrorCode.badResult,
      `evaluation result covers ${result.rows} rows with ${result.correct} correct, expected ${expectedRows} rows`,
    );
  }
  return null;
}
