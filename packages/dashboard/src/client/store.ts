import type { EpochPoint, LogLine, Progress, StreamMessage, TimingBucket, WorkerRow } from './wire.js';

/** The page's copy of the run: a snapshot, grown by each delta. */
export class Store {
  title = 'descent';
  replay = false;
  config: readonly (readonly [string, string])[] = [];
  firstStep = 0;
  smoothingSpan = 1;
  loss: number[] = [];
  smoothed: number[] = [];
  epochs: EpochPoint[] = [];
  timings: TimingBucket[] = [];
  workers: readonly WorkerRow[] = [];
  log: LogLine[] = [];
  progress: Progress | null = null;
  summary: Readonly<Record<string, unknown>> | null = null;

  apply(m: StreamMessage): void {
    if (m.kind === 'snapshot') {
      this.title = m.title;
      this.replay = m.replay;
      this.config = m.config;
      this.firstStep = m.firstStep;
      this.smoothingSpan = m.smoothingSpan;
      this.loss = [...m.loss];
      this.smoothed = [...m.smoothed];
      this.epochs = [...m.epochs];
      this.timings = [...m.timings];
      this.log = [...m.log];
    } else {
      // A delta that does not continue where we are means a missed message: drop it; the stream reconnects.
      if (m.from !== this.loss.length) return;
      this.loss.push(...m.loss);
      this.smoothed.push(...m.smoothed);
      this.epochs.push(...m.epochs);
      this.timings.push(...m.timings);
      this.log.push(...m.log);
      if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    }
    this.workers = m.workers;
    this.progress = m.progress;
    this.summary = m.summary;
  }
}
