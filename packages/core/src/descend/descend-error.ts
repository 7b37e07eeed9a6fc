/** A learning rate or step count a descent run cannot use; the message names it. */
export class DescendError extends Error {
  readonly code = 'ERR_DESCEND_ARGUMENT';

  constructor(message: string) {
    super(message);
    this.name = 'DescendError';
  }
}
