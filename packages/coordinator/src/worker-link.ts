import type { CoordinatorMessage, WorkerMessage } from '@descent/protocol';

/** What a link reports back to the coordinator. */
export interface LinkListener {
  /** A validated message from the worker. */
  message(link: WorkerLink, message: WorkerMessage): void;
  /** The worker is gone (socket closed, timed out or said bye); called once. */
  closed(link: WorkerLink, reason: string, clean: boolean): void;
}

/**
 * One admitted worker as the scheduler sees it: the same interface for a WebSocket connection and for the
 * worker living in the coordinator's own process, so both run the very same step.
 */
export interface WorkerLink {
  readonly id: number;
  readonly name: string;
  readonly type: 'socket' | 'in-process';
  /** Sends one message. */
  send(message: CoordinatorMessage): void;
  /**
   * Sends a message already encoded once for every worker (the broadcast); `frame` is `encode(message)`.
   * `sent` is called once the frame's bytes are no longer needed (at once when it is not sent).
   */
  sendEncoded(frame: Uint8Array, message: CoordinatorMessage, sent?: () => void): void;
  /** Ends the link; `listener.closed` follows. */
  close(reason: string): void;
}
