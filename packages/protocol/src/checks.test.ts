import { describe, expect, it } from 'vitest';
import { checkResult } from './checks.js';
import { ErrorCode } from './codes.js';
import type { Result } from './messages.js';

const result = (grad: Float32Array, rows = 3): Result => ({
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
});

describe('checkResult', () => {
  it('accepts a finite gradient of the net’s length', () => {
    expect(checkResult(result(new Float32Array(4)), 4, 0, 3)).toBeNull();
  });

  it('refuses a gradient of the wrong length', () => {
    const err = checkResult(result(new Float32Array(5)), 4, 0, 3);
    expect(err?.code).toBe(ErrorCode.badResult);
    expect(err?.message).toBe('gradient has 5 values, the net has 4 parameters');
  });

  it('refuses NaN and infinite gradient values, naming the index', () => {
    expect(checkResult(result(new Float32Array([0, Number.NaN, 0, 0])), 4, 0, 3)?.message).toBe(
      'gradient value 1 is NaN',
    );
    expect(checkResult(result(new Float32Array([0, 0, 0, -Infinity])), 4, 0, 3)?.message).toBe(
      'gradient value 3 is -Infinity',
    );
  });

  it('refuses a row count that does not match the shard', () => {
    expect(checkResult(result(new Float32Array(4), 2), 4, 0, 3)?.code).toBe(ErrorCode.badResult);
  });
});
