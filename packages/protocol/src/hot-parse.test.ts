import { Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { encode } from './codec.js';
import { parseHot } from './hot-parse.js';
import { messageSchema } from './messages.js';
import { examples } from './test-messages.js';

const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });
const isHot = (m: (typeof examples)[number]) =>
  m.kind === 'task' || m.kind === 'update' || m.kind === 'result';
const hot = examples.filter(isHot);

/** A message as a peer's frame decodes to: typed arrays as bytes, and the encoder's pad. */
const decoded = (message: object): Record<string, unknown> => unpackr.unpack(encode(message as never));

const BAD_VALUES: readonly unknown[] = [
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '3',
  null,
  undefined,
  true,
  {},
  new Uint8Array(3),
  new Uint8Array(8),
  new Float32Array(2),
  new Int32Array(2),
  new Float64Array(2),
];

describe('parseHot', () => {
  it('gives what the schema gives for every task, update and result example, as sent and as decoded', () => {
    expect(new Set(hot.map((m) => m.kind))).toEqual(new Set(['task', 'update', 'result']));
    for (const message of hot) {
      for (const value of [message as unknown as Record<string, unknown>, decoded(message)]) {
        const fast = parseHot(value);
        expect(fast, message.kind).not.toBeNull();
        expect(fast).toEqual(messageSchema.parse(value));
      }
    }
  });

  it('never accepts what the schema refuses: every field set to each bad value, dropped, or joined by another', () => {
    let tried = 0;
    for (const message of hot) {
      const base = decoded(message);
      const variants: Record<string, unknown>[] = [
        { ...base, extra: 1 },
        { ...base, half: { codec: 'f16' } },
      ];
      for (const key of Object.keys(base)) {
        const { [key]: _, ...without } = base;
        variants.push(without);
        for (const bad of BAD_VALUES) variants.push({ ...base, [key]: bad });
      }
      for (const variant of variants) {
        const fast = parseHot(variant);
        const schema = messageSchema.safeParse(variant);
        if (fast !== null) {
          expect(schema.success, JSON.stringify(Object.keys(variant))).toBe(true);
          expect(fast).toEqual(schema.data);
        }
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(300);
  });

  it('leaves the other kinds to the schema', () => {
    for (const message of examples.filter((m) => !isHot(m))) {
      expect(parseHot(decoded(message))).toBeNull();
    }
  });
});
