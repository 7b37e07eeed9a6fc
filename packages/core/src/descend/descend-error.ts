/** A learning rate or step count a descent run cannot use; the message names it. */
export class DescendError extends Error {
  readonly code = 'ERR_DESCEND_ARGUMENT';

  constructor(message: string) {
    super(message);
    this.name = 'DescendError';
  }
}

export function requireDescentRun(lr: number, steps: number): void {
  if (!Number.isFinite(lr) || lr <= 0) throw new DescendError(`lr must be a finite number > 0, got ${lr}`);
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new DescendError(`steps must be an integer ≥ 0, got ${steps}`);
  }
}
