import { encode, type Message, PROTOCOL_VERSION } from '@descent/protocol';

/** A small seeded generator (mulberry32), so a failing fuzz run can be replayed from its seed. */
export class FuzzRng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const odd: unknown[] = [
  null,
  -1,
  2 ** 53,
  Number.NaN,
  1.5,
  '',
  'x'.repeat(300),
  [],
  {},
  true,
  new Uint8Array(3),
];

/**
 * One malformed frame a peer could send after joining: random bytes, cut msgpack, the wrong shape, unknown
 * kinds, and results that are well formed but wrong (bad lengths, NaN, stale or future steps, shards never
 * assigned to it). `paramCount` is the net's size, so some gradients have the right length and only NaN inside.
 */
export function malformedFrame(rng: FuzzRng, paramCount: number, step: number): Uint8Array | string {
  const result = (over: Partial<Record<string, unknown>>) =>
    encode({
      kind: 'result',
      step,
      shard: rng.int(8),
      end: rng.int(9),
      version: rng.int(2 ** 32),
      grad: new Float32Array(paramCount),
      stats: new Float32Array(0),
      lossSum: 1,
      correct: 0,
      rows: 25,
      computeMs: 1,
      ...over,
    } as Message);
  switch (rng.int(10)) {
    case 0:
      return rng.bytes(1 + rng.int(64));
    case 1: {
      const whole = encode({ kind: 'heartbeat', at: rng.int(1e9) });
      return whole.subarray(0, rng.int(whole.length));
    }
    case 2:
      return encode({
        kind: rng.pick(['hello?', 'task', 'welcome', 'params', '']),
        at: 1,
      } as unknown as Message);
    case 3:
      return encode({
        kind: 'result',
        step: rng.pick(odd),
        shard: rng.pick(odd),
        grad: rng.pick(odd),
      } as unknown as Message);
    case 4:
      return 'not a binary frame';
    case 5: {
      const grad = new Float32Array(paramCount);
      grad[rng.int(paramCount)] = rng.pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      return result({ grad });
    }
    case 6:
      return result({ grad: new Float32Array(1 + rng.int(100)) });
    case 7:
      return result({ step: rng.pick([0, step + 1 + rng.int(1000), Math.max(0, step - 1 - rng.int(5))]) });
    case 8:
      return result({ shard: 1000 + rng.int(1000), end: 2000 + rng.int(1000) });
    default:
      return encode({
        kind: 'evalResult',
        id: rng.int(99),
        step,
        version: 0,
        split: 'test',
        start: 0,
        end: 5,
        correct: 9,
        lossSum: 0,
        rows: 5,
        computeMs: 0,
      } as Message);
  }
}

/** A frame a stranger might open with instead of a proper hello. */
export function badOpening(rng: FuzzRng, fingerprint: string): Uint8Array | string {
  switch (rng.int(6)) {
    case 0:
      return rng.bytes(1 + rng.int(200));
    case 1:
      return 'GET / HTTP/1.1';
    case 2:
      return encode({ kind: 'hello', protocol: 99, backend: 'js', fingerprint, name: 'future' });
    case 3:
      return encode({
        kind: 'hello',
        protocol: PROTOCOL_VERSION,
        backend: 'js',
        fingerprint,
        name: '',
      } as Message);
    case 4:
      return encode({ kind: 'ready' });
    default:
      return encode({
        kind: 'hello',
        protocol: PROTOCOL_VERSION,
        backend: 'cuda',
        fingerprint,
        name: 'x',
      } as unknown as Message);
  }
}
