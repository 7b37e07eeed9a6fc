import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decode, encode } from './codec.js';
import { ErrorCode } from './codes.js';
import { type MessageKind, messageSchema } from './messages.js';
import { examples } from './test-messages.js';

const all = examples.map((m) => m.kind) as MessageKind[];
const plain = new Packr({ useRecords: false });

function refused(frame: unknown, accept: readonly MessageKind[] = all) {
  const out = decode(frame, { accept });
  if (out.ok) throw new Error('expected the frame to be refused');
  return out.error;
}

describe('encode/decode', () => {
  it('round-trips one example of every message kind to an equal message', () => {
    expect(new Set(all).size).toBe(messageSchema.options.length);
    for (const message of examples) {
      const out = decode(encode(message), { accept: all });
      expect(out.ok, message.kind).toBe(true);
      if (out.ok) expect(out.message).toEqual(message);
    }
  });

  it('writes a large array last and 4-byte aligned, so an aligned frame is read in place', () => {
    for (const length of [1024, 1025, 39_760]) {
      const grad = Float32Array.from({ length }, (_, i) => i * 0.5 - 7);
      for (const name of ['w', 'worker-with-a-long-name']) {
        const message = { ...examples[5], grad } as (typeof examples)[number];
        const frame = encode(message);
        expect(frame.byteOffset).toBe(0);
        expect((frame.length - grad.byteLength) % 4).toBe(0);
        const out = decode(frame, { accept: ['result'] });
        if (!out.ok || out.message.kind !== 'result') throw new Error(`decode failed for ${name}`);
        expect(out.message.grad.buffer).toBe(frame.buffer);
        expect(out.message).toEqual(message);
        // Any msgpack reader takes it: the pad is an ordinary field the schema drops.
        expect(plain.unpack(frame)).toMatchObject({ kind: 'result', pad: expect.any(String) });
      }
    }
  });

  it('gives back Float32Array and Int32Array of the right length, aligned or not', () => {
    const grad = new Float32Array([1.5, -2.25, 3e-8, 7]);
    const frame = encode({ ...examples[5], grad } as (typeof examples)[number]);
    for (const shift of [0, 1, 2, 3]) {
      const copy = new Uint8Array(new ArrayBuffer(frame.length + 8), shift, frame.length);
      copy.set(frame);
      const out = decode(copy, { accept: ['result'] });
      if (!out.ok || out.message.kind !== 'result') throw new Error('decode failed');
      expect(out.message.grad).toBeInstanceOf(Float32Array);
      expect(out.message.grad.length).toBe(4);
      expect(Array.from(out.message.grad)).toEqual(Array.from(grad));
    }
    const task = decode(encode(examples[4]), { accept: ['task'] });
    if (!task.ok) throw task.error;
    expect(task.message.indices).toBeInstanceOf(Int32Array);
    expect(Array.from(task.message.indices)).toEqual([5, 6, 7]);
  });

  it('shares the frame memory when the float payload is aligned and copies only when it is not', () => {
    const params = new Float32Array(1000).fill(0.5);
    const frame = encode({ kind: 'params', step: 1, version: 2, params, stats: new Float32Array(0) });
    let shared = 0;
    for (const shift of [0, 1, 2, 3]) {
      const copy = new Uint8Array(new ArrayBuffer(frame.length + 8), shift, frame.length);
      copy.set(frame);
      const out = decode(copy, { accept: ['params'] });
      if (!out.ok) throw out.error;
      expect(out.message.params.length).toBe(1000);
      if (out.message.params.buffer === copy.buffer) shared++;
    }
    expect(shared).toBe(1);
  });
});

describe('decode refuses, never throws', () => {
  it('refuses random bytes', () => {
    let seed = 12345;
    for (let n = 0; n < 200; n++) {
      const bytes = new Uint8Array(1 + (n % 40));
      for (let i = 0; i < bytes.length; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        bytes[i] = seed >>> 24;
      }
      const out = decode(bytes, { accept: all });
      expect(out.ok).toBe(false);
    }
  });

  it('refuses invalid msgpack with DESCENT_ERR_BAD_FRAME', () => {
    expect(refused(Buffer.from([0x92, 0x01])).code).toBe(ErrorCode.badFrame);
    expect(refused(Buffer.concat([encode(examples[3]), Buffer.from([0])])).code).toBe(ErrorCode.badFrame);
  });

  it('refuses text frames and non-binary input', () => {
    expect(refused('hello').code).toBe(ErrorCode.badFrame);
    expect(refused(42).code).toBe(ErrorCode.badFrame);
  });

  it('refuses valid msgpack of the wrong shape with DESCENT_ERR_BAD_MESSAGE', () => {
    expect(refused(plain.pack([1, 2, 3])).code).toBe(ErrorCode.badMessage);
    expect(refused(plain.pack({ kind: 'task', step: -1, shard: 0 })).code).toBe(ErrorCode.badMessage);
    expect(refused(plain.pack({ kind: 'task', step: 1, shard: 0, indices: 'x' })).code).toBe(
      ErrorCode.badMessage,
    );
    expect(refused(plain.pack({ kind: 'task', step: 1, shard: 0, indices: Buffer.alloc(3) })).code).toBe(
      ErrorCode.badMessage,
    );
  });

  it('refuses unknown kinds and kinds this end does not accept', () => {
    expect(refused(plain.pack({ kind: 'launchMissiles' })).code).toBe(ErrorCode.unexpectedMessage);
    expect(refused(encode(examples[4]), ['hello', 'result']).code).toBe(ErrorCode.unexpectedMessage);
  });

  it('refuses a non-finite loss sum (NaN) at the schema', () => {
    const bad = { ...examples[5], lossSum: Number.NaN };
    expect(refused(plain.pack(bad)).code).toBe(ErrorCode.badMessage);
  });

  it('refuses frames above the size limit', () => {
    const out = decode(encode(examples[0]), { accept: all, maxFrameBytes: 8 });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe(ErrorCode.frameTooLarge);
  });

  it('accepts a wrong protocol version as a message, so the coordinator can answer with refused', () => {
    const out = decode(encode({ ...examples[0], protocol: 99 } as (typeof examples)[number]), {
      accept: ['hello'],
    });
    expect(out.ok).toBe(true);
  });
});
