import type { BackendName, DataSplits, TrainConfig } from '@descent/core';
import type { CoordinatorMessage, EvalTask, Task } from '@descent/protocol';
import { ShardEngine } from '@descent/worker';
import type { LinkListener, WorkerLink } from './worker-link.js';

export interface InProcessLinkOptions {
  readonly id: number;
  readonly name: string;
  readonly config: TrainConfig;
  readonly backend: BackendName;
  readonly data: DataSplits;
  readonly fullHashEvery: number;
  /** Results leave the first layer's weight gradient as its factor; parameters still arrive whole. */
  readonly factored: boolean;
  readonly listener: LinkListener;
}

/**
 * A worker in the coordinator's own process: the same ShardEngine a WebSocket worker runs, fed through the
 * same scheduler without encoding anything. Parameters are adopted (copied) as they are sent; tasks run one
 * per macrotask, in order, so results arrive asynchronously just as they would from a socket.
 */
export class InProcessLink implements WorkerLink {
  readonly type = 'in-process';
  readonly id: number;
  readonly name: string;
  private readonly engine: ShardEngine;
  private readonly listener: LinkListener;
  private readonly queue: (Task | EvalTask)[] = [];
  private scheduled = false;
  private closed = false;

  constructor(options: InProcessLinkOptions) {
    this.id = options.id;
    this.name = options.name;
    this.listener = options.listener;
    this.engine = new ShardEngine({
      config: options.config,
      backend: options.backend,
      data: options.data,
      fullHashEvery: options.fullHashEvery,
      factored: options.factored,
    });
  }

  send(message: CoordinatorMessage): void {
    if (this.closed) return;
    switch (message.kind) {
      case 'welcome':
      case 'params':
        if (!this.engine.adopt(message.step, message.params, message.stats, message.version)) {
          this.deliver({ kind: 'resync', step: message.step });
        }
        if (message.kind === 'welcome') this.deliver({ kind: 'ready' });
        return;
      case 'task':
      case 'evalTask':
        this.queue.push(message);
        this.schedule();
        return;
      default:
        return;
    }
  }

  sendEncoded(_frame: Uint8Array, message: CoordinatorMessage, sent?: () => void): void {
    this.send(message);
    sent?.();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.listener.closed(this, reason, true);
  }

  private deliver(message: Parameters<LinkListener['message']>[1]): void {
    setImmediate(() => {
      if (!this.closed) this.listener.message(this, message);
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  /** One task per macrotask; its result is handed over before the next task overwrites the net's buffers. */
  private drain(): void {
    this.scheduled = false;
    const task = this.queue.shift();
    if (task === undefined || this.closed) return;
    const result = task.kind === 'task' ? this.engine.compute(task) : this.engine.evaluate(task);
    this.listener.message(this, result);
    if (this.queue.length > 0) this.schedule();
  }
}
