/** Time spent in each part of one step, in milliseconds. */
export interface StepTimings {
  /** Whole step, from drawing the batch to the end of the broadcast. */
  readonly stepMs: number;
  /** Drawing the batch, cutting it and sending the tasks. */
  readonly dispatchMs: number;
  /** From the tasks being sent until the last micro-shard result was in: the wait for the slowest worker. */
  readonly waitMs: number;
  /** Checking results and adding them into the step's sum. */
  readonly aggregateMs: number;
  /**
   * Dividing by the batch size and running the optimizer; in a factored run also forming the first layer's
   * weight gradient, and listing the next step's batch for that.
   */
  readonly optimizerMs: number;
  /** Encoding the new parameters once and sending them to every worker. */
  readonly broadcastMs: number;
  /** Per worker name: the compute time it reported for the micro-shards of this step that were used. */
  readonly computeMs: Readonly<Record<string, number>>;
}

export interface StepRecord {
  /** The step just completed (0-based); the parameters are now those of step + 1. */
  readonly step: number;
  /** Mean cross-entropy over the batch plus the L2 penalty, at the parameters the step started from. */
  readonly loss: number;
  readonly correct: number;
  readonly rows: number;
  readonly workers: number;
  readonly timings: StepTimings;
}

export interface EvalRecord {
  /** Steps completed when the evaluation ran. */
  readonly step: number;
  /** step × batch / train size. */
  readonly epoch: number;
  readonly trainAcc: number;
  readonly testAcc: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  readonly ms: number;
}

export type CoordinatorEvent =
  | { readonly type: 'listening'; readonly url: string }
  | {
      readonly type: 'join';
      readonly worker: string;
      readonly workerId: number;
      readonly link: 'socket' | 'in-process';
    }
  | { readonly type: 'ready'; readonly worker: string; readonly workerId: number }
  | { readonly type: 'leave'; readonly worker: string; readonly workerId: number; readonly reason: string }
  | { readonly type: 'lost'; readonly worker: string; readonly workerId: number; readonly reason: string }
  | {
      readonly type: 'reassign';
      readonly step: number;
      readonly job: string;
      readonly from: string;
      readonly to: string;
      readonly reason: string;
    }
  | { readonly type: 'desync'; readonly worker: string; readonly step: number; readonly message: string }
  | {
      readonly type: 'rejected';
      readonly worker: string;
      readonly step: number;
      readonly code: string;
      readonly message: string;
    }
  | { readonly type: 'refused'; readonly worker: string; readonly code: string; readonly message: string }
  | { readonly type: 'checkpoint'; readonly step: number; readonly dir: string; readonly ms: number }
  | {
      readonly type: 'waiting';
      readonly step: number;
      readonly ready: number;
      readonly needed: number;
      readonly on: string;
    };

/** What the CLI hooks into to print progress and write metrics; every method is optional. */
export interface Observer {
  onStep?(record: StepRecord): void;
  onEval?(record: EvalRecord): void;
  onEvent?(event: CoordinatorEvent): void;
}
