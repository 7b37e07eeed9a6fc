import type { WorkerRow, WorkerState } from './client/wire.js';
import { RollingMedian } from './rolling-median.js';

/** What the coordinator can say about a worker it currently holds (see Coordinator.workerTable). */
export interface WorkerProbe {
  readonly name: string;
  readonly address: string;
  readonly shards: number;
  readonly lastHeardMs: number | null;
}

interface Row {
  readonly name: string;
  link: 'socket' | 'in-process';
  address: string;
  state: WorkerState;
  rejoin: boolean;
  shards: number;
  lastHeardMs: number | null;
  readonly compute: RollingMedian;
}

/** Recent steps a worker's median compute time is taken over. */
const MEDIAN_WINDOW = 101;

/**
 * The worker table, kept from coordinator events (join, ready, lost, leave), per-step compute times and, in a
 * live run, the coordinator's own view (address, shards, last message). A worker that comes back after being
 * lost joins under a new id with the same name before the '#': it is shown as rejoined.
 */
export class WorkerBoard {
  private readonly rows = new Map<string, Row>();

  join(name: string, link: 'socket' | 'in-process'): void {
    const base = baseName(name);
    const rejoin = [...this.rows.values()].some(
      (r) => r.name !== name && baseName(r.name) === base && (r.state === 'lost' || r.state === 'left'),
    );
    const row = this.row(name);
    row.link = link;
    row.rejoin = rejoin;
    row.state = 'joining';
  }

  ready(name: string): void {
    const row = this.row(name);
    row.state = row.rejoin ? 'rejoined' : 'active';
  }

  gone(name: string, clean: boolean): void {
    const row = this.row(name);
    row.state = clean ? 'left' : 'lost';
    row.lastHeardMs = null;
  }

  /** One step's compute time per worker, as reported in its results. */
  computed(computeMs: Readonly<Record<string, number>>): void {
    for (const [name, ms] of Object.entries(computeMs)) {
      const row = this.row(name);
      row.compute.push(ms);
      // A worker seen computing without a ready event (e.g. a resumed run's log) is active.
      if (row.state === 'joining') row.state = row.rejoin ? 'rejoined' : 'active';
    }
  }

  probe(workers: readonly WorkerProbe[]): void {
    for (const w of workers) {
      const row = this.row(w.name);
      row.address = w.address;
      row.shards = w.shards;
      row.lastHeardMs = w.lastHeardMs;
    }
  }

  /** Final shard counts (summary.json's shardsByWorker) for a reopened run. */
  shards(byWorker: Readonly<Record<string, number>>): void {
    for (const [name, n] of Object.entries(byWorker)) this.row(name).shards = n;
  }

  table(): WorkerRow[] {
    return [...this.rows.values()].map((r) => ({
      name: r.name,
      link: r.link,
      address: r.address,
      state: r.state,
      shards: r.shards,
      medianComputeMs: r.compute.median(),
      lastHeardMs: r.lastHeardMs,
    }));
  }

  private row(name: string): Row {
    let row = this.rows.get(name);
    if (!row) {
      row = {
        name,
        link: name.startsWith('local#') ? 'in-process' : 'socket',
        address: '',
        state: 'joining',
        rejoin: false,
        shards: 0,
        lastHeardMs: null,
        compute: new RollingMedian(MEDIAN_WINDOW),
      };
      this.rows.set(name, row);
    }
    return row;
  }
}

/** 'gpu-box#7' → 'gpu-box': the name the worker chose, without the id the coordinator gave it. */
export function baseName(name: string): string {
  return name.replace(/#\d+$/, '');
}
