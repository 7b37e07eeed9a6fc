import {
  type CoordinatorMessage,
  decode,
  ErrorCode,
  encode,
  WORKER_KINDS,
  type WorkerMessage,
} from '@descent/protocol';
import type WebSocket from 'ws';
import type { LinkShaper } from './link-lane.js';
import type { Logger } from './logger.js';
import { RateLimit } from './rate-limit.js';
import type { LinkListener, WorkerLink } from './worker-link.js';

/** Garbage frames tolerated from one worker before it is disconnected. */
const MAX_BAD_FRAMES = 16;

export interface SocketLinkLimits {
  readonly maxFrameBytes: number;
  /** Frames per second one worker may send on average, and at once. */
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
}

/**
 * A worker over a WebSocket, after its `hello` was accepted. Frames are rate-limited, decoded and validated
 * here.
 */
export class SocketLink implements WorkerLink {
  readonly type = 'socket';
  /** performance.now() of the last frame received. */
  lastSeen = performance.now();
  private badFrames = 0;
  private done = false;
  private readonly rate: RateLimit;

  constructor(
    readonly id: number,
    readonly name: string,
    private readonly socket: WebSocket,
    private readonly listener: LinkListener,
    private readonly logger: Logger,
    private readonly limits: SocketLinkLimits,
    /** host:port the worker connected from. */
    readonly address = '',
    /** A simulated network between the two ends (both directions); none by default. */
    private readonly shaper?: LinkShaper,
  ) {
    this.rate = new RateLimit(limits.messagesPerSecond, limits.messageBurst);
    socket.on('message', (data, isBinary) => {
      if (shaper) shaper.in.push(frameBytes(data), () => this.onFrame(data, isBinary));
      else this.onFrame(data, isBinary);
    });
    socket.on('close', (code, reason) =>
      this.finish(`socket closed (${code}${reason.length ? ` ${reason}` : ''})`, false),
    );
    socket.on('error', (err) => this.logger.warn(`worker ${name}: socket error: ${err.message}`));
  }

  send(message: CoordinatorMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.transmit(encode(message));
  }

  sendEncoded(frame: Uint8Array, _message?: CoordinatorMessage, sent?: () => void): void {
    if (this.socket.readyState === this.socket.OPEN) this.transmit(frame, sent);
    else sent?.();
  }

  /** Sends `frame` (after the simulated link's delay, if any); `sent` once ws is done with its bytes. */
  private transmit(frame: Uint8Array, sent?: () => void): void {
    const socket = this.socket;
    if (!this.shaper) {
      socket.send(frame, sent);
      return;
    }
    this.shaper.out.push(frame.byteLength, () => {
      if (socket.readyState === socket.OPEN) socket.send(frame, sent);
      else sent?.();
    });
  }

  close(reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) {
      // Through a simulated link the bye is still on its way: close once it has been sent.
      this.transmit(encode({ kind: 'bye', reason }), () => this.socket.close(1000));
    } else {
      this.socket.terminate();
    }
    this.finish(reason, true);
  }

  /** Drops the connection at once (a worker that stopped answering). */
  terminate(reason: string): void {
    this.socket.terminate();
    this.finish(reason, false);
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.done) return;
    this.lastSeen = performance.now();
    if (!this.rate.take(this.lastSeen)) {
      const message = `more than ${this.limits.messagesPerSecond} messages per second (burst ${this.limits.messageBurst}); disconnected`;
      this.logger.warn(`worker ${this.name}: ${message}`);
      this.send({ kind: 'error', code: ErrorCode.rateLimited, message });
      // close, not terminate, so the error above reaches the peer first; later frames are ignored (done).
      this.socket.close(1008, 'rate limit');
      this.finish(`rate limit: ${message}`, false);
      return;
    }
    const out = decode(isBinary ? data : 'text', {
      accept: WORKER_KINDS,
      maxFrameBytes: this.limits.maxFrameBytes,
    });
    if (!out.ok) {
      this.logger.warn(`worker ${this.name}: refused a frame: ${out.error.code}: ${out.error.message}`);
      this.send({ kind: 'error', code: out.error.code, message: out.error.message });
      if (++this.badFrames > MAX_BAD_FRAMES) this.terminate(`sent ${this.badFrames} malformed frames`);
      return;
    }
    const message: WorkerMessage = out.message;
    if (message.kind === 'hello') {
      this.send({
        kind: 'error',
        code: ErrorCode.unexpectedMessage,
        message: 'already joined; hello is sent once',
      });
      return;
    }
    if (message.kind === 'bye') {
      this.finish(`left: ${message.reason}`, true);
      this.socket.close(1000);
      return;
    }
    if (message.kind === 'error') {
      this.logger.warn(`worker ${this.name} reports ${message.code}: ${message.message}`);
      return;
    }
    this.listener.message(this, message);
  }

  private finish(reason: string, clean: boolean): void {
    if (this.done) return;
    this.done = true;
    this.listener.closed(this, reason, clean);
  }
}

function frameBytes(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((n, part) => n + part.byteLength, 0);
  return data.byteLength;
}
