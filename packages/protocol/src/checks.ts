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

export function checkResult(
  result: Result,
  paramCount: number,
  statsCount: number,
  expectedRows: number,
): ResultProblem | null {
  const bad = (message: string, nonFinite = false) => ({ code: ErrorCode.badResult, message, nonFinite });
  if (result.grad.length !== paramCount) {
    return bad(`gradient has ${result.grad.length} values, the net has ${paramCount} parameters`);
  }
  if (result.stats.length !== statsCount) {
    return bad(`stats have ${result.stats.length} values, the net has ${statsCount}`);
  }
  if (result.rows !== expectedRows)
    return bad(`result covers ${result.rows} rows, the shard has ${expectedRows}`);
  if (result.correct > result.rows) return bad(`correct count ${result.correct} exceeds ${result.rows} rows`);
  const g = firstNonFinite(result.grad);
  if (g >= 0) return bad(`gradient value ${g} is ${result.grad[g]}`, true);
  const s = firstNonFinite(result.stats);
  if (s >= 0) return bad(`stats value ${s} is ${result.stats[s]}`, true);
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
