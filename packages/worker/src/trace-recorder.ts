import { writeFileSync } from 'node:fs';

/** One complete span in Chrome's trace event format (`ph: 'X'`), in microseconds since the epoch. */
export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X' | 'M';
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: Readonly<Record<string, string | number>>;
}

/** Epoch microseconds of a performance.now() reading; every process on one machine shares this clock. */
export function epochMicros(now: number): number {
  return Math.round((performance.timeOrigin + now) * 1000);
}

/**
 * Collects the spans of one process (a worker or the coordinator) for a Chrome trace: each process writes its
 * own file and the files are merged into one `trace.json` that Perfetto or chrome://tracing opens.
 */
export class TraceRecorder {
  private readonly events: TraceEvent[] = [];

  constructor(
    readonly processName: string,
    readonly pid = process.pid,
  ) {
    this.events.push({
      name: 'process_name',
      cat: '__metadata',
      ph: 'M',
      ts: 0,
      pid,
      tid: 0,
      args: { name: processName },
    });
  }

  /** A span from `start` to `end` (performance.now() readings). */
  span(name: string, start: number, end: number, args?: Record<string, string | number>, tid = 0): void {
    this.events.push({
      name,
      cat: 'step',
      ph: 'X',
      ts: epochMicros(start),
      dur: Math.max(0, Math.round((end - start) * 1000)),
      pid: this.pid,
      tid,
      ...(args ? { args } : {}),
    });
  }

  get spans(): readonly TraceEvent[] {
    return this.events;
  }

  /** Writes the spans as a JSON array (a file Perfetto opens as is, and mergeTraces joins). */
  write(file: string): void {
    writeFileSync(file, JSON.stringify(this.events));
  }
}
