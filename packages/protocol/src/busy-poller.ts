/** Where a poller reads the time and this process's CPU time, in ms. */
export interface PollerClock {
  now(): number;
  cpuMs(): number;
}

const processClock: PollerClock = {
  now: () => performance.now(),
  cpuMs: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
};

/** The longest busy-wait budget a poller takes, in ms. */
export const MAX_BUSY_WAIT_MS = 1000;

/** Whether `ms` is a busy-wait budget a poller takes: 0 (never polls) to MAX_BUSY_WAIT_MS. */
export function isBusyWaitBudget(ms: number): boolean {
  return ms >= 0 && ms <= MAX_BUSY_WAIT_MS;
}

/** Every this long while polling, the poller checks that it has its core. */
const CHECK_EVERY_MS = 50;
/** A process that ran less than this share of the time it polled was kept waiting for its core. */
const MIN_CPU_SHARE = 0.8;
/** How long a poller that found its core taken lets the loop sleep before it tries again. */
const BACK_OFF_MS = 2000;

/**
 * Keeps the event loop polling for I/O, instead of sleeping in the kernel, for a while after each touch.
 *
 * A training step is a round trip: the coordinator's update goes out, the worker's result comes back. A process
 * asleep when its frame arrives must first be woken, which on a virtual machine's idle core can cost a tenth of
 * a millisecond or more, twice a step. Polling while a frame is due skips that wake-up. It pays only when the
 * process has a core to itself: processes polling on a shared core take turns at it and slow each other down
 * many times over. So the poller checks, while it polls, that the process gets the CPU time it asks for, and
 * when it does not (another process wants the core), stops polling for a while.
 */
export class BusyPoller {
  private until = 0;
  private polling = false;
  private checkedAt = 0;
  private cpuAtCheck = 0;
  private quietUntil = 0;

  /** Polls for up to `budgetMs` after each touch; 0 never polls. */
  constructor(
    readonly budgetMs: number,
    private readonly clock: PollerClock = processClock,
  ) {
    if (!isBusyWaitBudget(budgetMs)) {
      throw new RangeError(`a busy-wait budget must lie in [0, ${MAX_BUSY_WAIT_MS}] ms, got ${budgetMs}`);
    }
  }

  /** A frame came (or is due): poll for the next one for the budget from now. */
  touch(): void {
    if (this.budgetMs === 0) return;
    const now = this.clock.now();
    if (now < this.quietUntil) return;
    this.until = now + this.budgetMs;
    if (!this.polling) {
      this.polling = true;
      this.checkedAt = now;
      this.cpuAtCheck = this.clock.cpuMs();
      setImmediate(this.poll);
    }
  }

  /** Lets the loop sleep again at once, e.g. when the connection closes. */
  stop(): void {
    this.until = 0;
  }

  /** Whether the poller found its core taken and sleeps until it tries again. */
  get backedOff(): boolean {
    return this.clock.now() < this.quietUntil;
  }

  // A pending immediate makes libuv poll for I/O with a zero timeout, so the loop turns without sleeping.
  private readonly poll = (): void => {
    const now = this.clock.now();
    if (now - this.checkedAt >= CHECK_EVERY_MS) {
      const cpu = this.clock.cpuMs();
      if (cpu - this.cpuAtCheck < MIN_CPU_SHARE * (now - this.checkedAt)) {
        this.quietUntil = now + BACK_OFF_MS;
        this.until = 0;
      }
      this.checkedAt = now;
      this.cpuAtCheck = cpu;
    }
    if (now < this.until) setImmediate(this.poll);
    else this.polling = false;
  };
}
