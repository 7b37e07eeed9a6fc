/**
 * Keeps the event loop polling for I/O, instead of sleeping in the kernel, for a while after each touch.
 *
 * A training step is a round trip: the coordinator's update goes out, the worker's result comes back. A process
 * asleep when its frame arrives must first be woken, which on a virtual machine's idle core costs a tenth of a
 * millisecond or more, twice a step. Polling while a frame is due skips that wake-up. It pays only when the
 * process has a core to itself: processes polling on a shared core take turns at it and slow each other down
 * many times over.
 */
export class BusyPoller {
  private until = 0;
  private polling = false;

  /** Polls for up to `budgetMs` after each touch; 0 never polls. */
  constructor(readonly budgetMs: number) {
    if (!(budgetMs >= 0 && budgetMs <= 1000)) {
      throw new RangeError(`a busy-wait budget must lie in [0, 1000] ms, got ${budgetMs}`);
    }
  }

  /** A frame came (or is due): poll for the next one for the budget from now. */
  touch(): void {
    if (this.budgetMs === 0) return;
    this.until = performance.now() + this.budgetMs;
    if (!this.polling) {
      this.polling = true;
      setImmediate(this.poll);
    }
  }

  /** Lets the loop sleep again at once, e.g. when the connection closes. */
  stop(): void {
    this.until = 0;
  }

  // A pending immediate makes libuv poll for I/O with a zero timeout, so the loop turns without sleeping.
  private readonly poll = (): void => {
    if (performance.now() < this.until) setImmediate(this.poll);
    else this.polling = false;
  };
}
