import { type DataSplits, type Dataset, datasetFingerprint, Rng, type TrainConfig } from '@descent/core';
import {
  COORDINATOR_KINDS,
  type CoordinatorMessage,
  decode,
  encode,
  type Message,
  PROTOCOL_VERSION,
  type Welcome,
} from '@descent/protocol';
import WebSocket from 'ws';
import type { Coordinator } from './coordinator.js';
import { silentLogger } from './logger.js';

/** A tiny MNIST-shaped (4×4, 10 classes) data set: pixels lean toward a per-class pattern, plus noise. */
export function tinyData(trainCount = 120, testCount = 40, seed = 1): DataSplits {
  const rng = new Rng(seed);
  const make = (count: number): Dataset => {
    const images = new Uint8Array(count * 16);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = rng.nextInt(10);
      labels[i] = label;
      for (let p = 0; p < 16; p++) {
        const on = (p * 7 + label * 3) % 10 < 4;
        images[i * 16 + p] = Math.min(255, (on ? 160 : 20) + rng.nextInt(80));
      }
    }
    return { count, rows: 4, cols: 4, features: 16, classes: 10, images, labels };
  };
  const train = make(trainCount);
  const test = make(testCount);
  return { train, test, fingerprint: datasetFingerprint(train, test), source: 'synthetic' };
}

export function tinyConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    model: {
      kind: 'mlp',
      inputSize: 16,
      hidden: [12],
      outputSize: 10,
      activation: 'relu',
      init: 'he',
      initStd: 0.01,
      weightDecay: 0.001,
      dropout: 0,
      batchNorm: false,
    },
    optimizer: {
      name: 'momentum',
      lr: 0.1,
      momentum: 0.9,
      decayRate: 0.99,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
    },
    batch: 24,
    iters: 8,
    shards: 6,
    sampler: 'replacement',
    seed: 3,
    evalEvery: 4,
    ...overrides,
  };
}

export const quiet = { logger: silentLogger };

/**
 * The tiny net's batch is larger than its 16 inputs, so 'auto' would send parameters: tests of the step's
 * machinery ask for factors, the default of the seed recipe.
 */
export const factored = { exchange: 'factors' } as const;

/** A raw WebSocket peer that speaks the protocol by hand, for malformed and hostile input. */
export class RawPeer {
  readonly socket: WebSocket;
  private readonly inbox: CoordinatorMessage[] = [];
  private waiters: ((m: CoordinatorMessage) => void)[] = [];
  readonly closed: Promise<number>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      const out = decode(data, { accept: COORDINATOR_KINDS });
      if (!out.ok) throw out.error;
      const waiter = this.waiters.shift();
      if (waiter) waiter(out.message);
      else this.inbox.push(out.message);
    });
    this.closed = new Promise((resolve) => this.socket.on('close', (code) => resolve(code)));
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(message: Message): void {
    this.socket.send(encode(message));
  }

  /** Opens the socket and says hello as a js worker holding the data set `fingerprint`; resolves with the welcome. */
  async join(name: string, fingerprint: string): Promise<Welcome> {
    await this.open();
    this.send({ kind: 'hello', protocol: PROTOCOL_VERSION, backend: 'js', fingerprint, name });
    return this.nextOf('welcome');
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.socket.send(bytes);
  }

  next(): Promise<CoordinatorMessage> {
    const m = this.inbox.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next message of `kind`, skipping heartbeats and others. */
  async nextOf<K extends CoordinatorMessage['kind']>(
    kind: K,
  ): Promise<Extract<CoordinatorMessage, { kind: K }>> {
    for (;;) {
      const m = await this.next();
      if (m.kind === kind) return m as Extract<CoordinatorMessage, { kind: K }>;
    }
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Tracks what a test opens so afterEach can close all of it. */
export class Cleanup {
  private readonly items: (() => Promise<void> | void)[] = [];

  coordinator(c: Coordinator): Coordinator {
    this.items.push(() => c.close());
    return c;
  }

  peer(p: RawPeer): RawPeer {
    this.items.push(() => p.close());
    return p;
  }

  abort(): AbortSignal {
    const controller = new AbortController();
    this.items.push(() => controller.abort());
    return controller.signal;
  }

  async run(): Promise<void> {
    for (const item of this.items.splice(0).reverse()) await item();
  }
}
