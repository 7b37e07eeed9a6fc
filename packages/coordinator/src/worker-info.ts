/** One admitted worker as `Coordinator.workerTable()` reports it (for dashboards; a copy, not live state). */
export interface WorkerInfo {
  readonly id: number;
  readonly name: string;
  readonly link: 'socket' | 'in-process';
  /** host:port the worker connected from; '' in process. */
  readonly address: string;
  readonly ready: boolean;
  /** Micro-shards and evaluation ranges of its that were accepted. */
  readonly shards: number;
  /** Milliseconds since its last frame (a heartbeat or a result); null in process. */
  readonly lastHeardMs: number | null;
}
