import type { LinkModel } from './link-model.js';

interface Pending {
  readonly at: number;
  readonly run: () => void;
}

/** Timers fire late by up to a millisecond or so; the last stretch before a delivery is polled instead. */
const POLL_BELOW_MS = 2;

/**
 * One direction of a simulated link: a FIFO that delivers each frame once the frames queued before it have
 * been serialised, its own bytes have crossed at the bandwidth, and the latency has passed. Delivery times
 * only grow, so frames keep their order.
 */
export class LinkLane {
  private busyUntil = 0;
  private readonly queue: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private stopped = false;

  constructor(private readonly model: LinkModel) {}

  /** Queues a frame of `bytes`; `run` is called when it arrives. Returns the arrival time (performance.now()). */
  push(bytes: number, run: () => void): number {
    const now = performance.now();
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + (bytes * 8 * 1000) / this.model.bitsPerSecond;
    const at = this.busyUntil + this.model.latencyMs;
    this.queue.push({ at, run });
    if (!this.timer && !this.polling) this.pump();
    return at;
  }

  /** Frames queued and not yet delivered. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Drops whatever is still queued (the connection is gone). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.head = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly pump = (): void => {
    this.timer = null;
    this.polling = false;
    if (this.stopped) return;
    const now = performance.now();
    while (this.head < this.queue.length && this.queue[this.head].at <= now) {
      const next = this.queue[this.head++];
      next.run();
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      return;
    }
    const wait = this.queue[this.head].at - now;
    if (wait > POLL_BELOW_MS) {
      this.timer = setTimeout(this.pump, wait - POLL_BELOW_MS);
    } else {
      this.polling = true;
      setImmediate(this.pump);
    }
  };
}

/** Both directions of the coordinator's network link, shared by every worker connection (one NIC). */
export class LinkShaper {
  readonly out: LinkLane;
  readonly in: LinkLane;

  constructor(readonly model: LinkModel) {
    this.out = new LinkLane(model);
    this.in = new LinkLane(model);
  }

  stop(): void {
    this.out.stop();
    this.in.stop();
  }
}
