import { describe, expect, it } from 'vitest';
import { checkResult } from './checks.js';
import { ErrorCode } from './codes.js';
import type { Result } from './messages.js';

const result = (grad: Float32Array, rows = 3, factor?: Float32Array): Result => ({
  kind: 'result',
  step: 1,
  shard: 0,
  end: 1,
  version: 1,
  grad,
  stats: new Float32Array(0),
  lossSum: 1,
  correct: 1,
  rows,
  computeMs: 1,
  ...(factor ? { factor } : {}),
});

const plain = { grad: 4, stats: 0, factorWidth: 0 };
const factored = { grad: 4, stats: 0, factorWidth: 2 };

describe('checkResult', () => {
  it('accepts a finite gradient of the net’s length', () => {
    expect(checkResult(result(new Float32Array(4)), plain, 3)).toBeNull();
  });

  it('refuses a gradient of the wrong length', () => {
    const err = checkResult(result(new Float32Array(5)), plain, 3);
    expect(err?.code).toBe(ErrorCode.badResult);
    expect(err?.message).toBe('gradient has 5 values, expected 4 for this run’s net');
  });

  it('refuses NaN and infinite gradient values, naming the index', () => {
    expect(checkResult(result(new Float32Array([0, Number.NaN, 0, 0])), plain, 3)?.message).toBe(
      'gradient value 1 is NaN',
    );
    expect(checkResult(result(new Float32Array([0, 0, 0, -Infinity])), plain, 3)?.message).toBe(
      'gradient value 3 is -Infinity',
    );
  });

  it('refuses a row count that does not match the shard', () => {
    expect(checkResult(result(new Float32Array(4), 2), plain, 3)?.code).toBe(ErrorCode.badResult);
  });

  it('in a factored run, takes a finite factor of rows × width and refuses a missing, misshapen or stray one', () => {
    const grad = new Float32Array(4);
    expect(checkResult(result(grad, 3, new Float32Array(6)), factored, 3)).toBeNull();
    expect(checkResult(result(grad, 3), factored, 3)?.message).toBe(
      'factor has 0 values, expected 3 rows × 2',
    );
    expect(checkResult(result(grad, 3, new Float32Array(5)), factored, 3)?.message).toBe(
      'factor has 5 values, expected 3 rows × 2',
    );
    expect(checkResult(result(grad, 3, new Float32Array(0)), plain, 3)?.message).toBe(
      'this run does not take factors, but the result carries one',
    );
    const nan = checkResult(result(grad, 3, new Float32Array([0, 0, 0, Number.NaN, 0, 0])), factored, 3);
    expect(nan).toMatchObject({ message: 'factor value 3 is NaN', nonFinite: true });
  });
});
