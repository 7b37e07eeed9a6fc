/**
 * What the dashboard server sends the page: one `snapshot` when the stream opens, then `delta`s that append to
 * it. Shared by the server (which builds them) and the page (which draws them); types only.
 */

export type RunStatus = 'waiting' | 'running' | 'finished' | 'failed';

export type WorkerState = 'joining' | 'active' | 'rejoined' | 'lost' | 'left';

export interface WorkerRow {
  readonly name: string;
  readonly link: 'socket' | 'in-process';
  /** host:port the worker dialled from; '' in process or when unknown. */
  readonly address: string;
  readonly state: WorkerState;
  readonly shards: number;
  /** Median compute time the worker reported per step, over its recent steps; null before its first step. */
  readonly medianComputeMs: number | null;
  /** Milliseconds since the coordinator last heard from it (heartbeat or result); null when not measured. */
  readonly lastHeardMs: number | null;
}

/** Mean step-time parts over a bucket of consecutive steps, and the training throughput over it. */
export interface TimingBucket {
  /** Last step of the bucket. */
  readonly step: number;
  readonly samplesPerSecond: number;
  readonly stepMs: number;
  readonly dispatchMs: number;
  readonly waitMs: number;
  readonly aggregateMs: number;
  readonly optimizerMs: number;
  readonly broadcastMs: number;
}

export interface EpochPoint {
  readonly step: number;
  readonly epoch: number;
  readonly trainAcc: number;
  readonly testAcc: number;
  readonly trainLoss: number;
  readonly testLoss: number;
}

export interface LogLine {
  /** ISO time, or '' when the record has none. */
  readonly time: string;
  readonly kind: string;
  readonly text: string;
}

export interface Progress {
  readonly status: RunStatus;
  /** Steps completed. */
  readonly step: number;
  readonly iters: number;
  readonly epoch: number;
  readonly samplesPerSecond: number;
  /** Seconds left at the recent pace; null until it can be estimated. */
  readonly etaSeconds: number | null;
  readonly elapsedSeconds: number;
}

export interface Snapshot {
  readonly kind: 'snapshot';
  /** A reopened run (`descent view`) rather than a live one. */
  readonly replay: boolean;
  readonly title: string;
  /** Flattened run configuration, in display order. */
  readonly config: readonly (readonly [string, string])[];
  /** Iteration of `loss[0]`: 0, or the step a resumed run continued from. */
  readonly firstStep: number;
  /** The EMA span of `smoothed`, in iterations. */
  readonly smoothingSpan: number;
  readonly loss: readonly number[];
  readonly smoothed: readonly number[];
  readonly epochs: readonly EpochPoint[];
  readonly timings: readonly TimingBucket[];
  readonly workers: readonly WorkerRow[];
  readonly log: readonly LogLine[];
  readonly progress: Progress;
  /** summary.json once the run is over. */
  readonly summary: Readonly<Record<string, unknown>> | null;
}

export interface Delta {
  readonly kind: 'delta';
  /** Index in `loss` of the first new value. */
  readonly from: number;
  readonly loss: readonly number[];
  readonly smoothed: readonly number[];
  readonly epochs: readonly EpochPoint[];
  readonly timings: readonly TimingBucket[];
  readonly log: readonly LogLine[];
  /** Replaced whole: the table is small and every row may change. */
  readonly workers: readonly WorkerRow[];
  readonly progress: Progress;
  readonly summary: Readonly<Record<string, unknown>> | null;
}

export type StreamMessage = Snapshot | Delta;
