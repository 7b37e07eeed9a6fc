import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../data/test-idx.js';
import { IoError } from './io-error.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

const tensors = [
  { name: 'W1', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, -0, 1e-40]) },
  { name: 'b1', shape: [3], data: Float32Array.from([0.1, 0.2, 0.3]) },
  { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
];

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, unknown> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) };
}

/** A file with a hand-written header, to reach each validation. */
function withHeader(header: object, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof IoError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('writeSafetensors / readSafetensors', () => {
  it('round-trips names, shapes, metadata and every bit of the data', () => {
    const back = readSafetensors(writeSafetensors(tensors, { step: '7' }));
    expect(back.metadata).toEqual({ step: '7' });
    expect(back.tensors.map((t) => [t.name, t.shape])).toEqual(tensors.map((t) => [t.name, t.shape]));
    for (const [i, t] of back.tensors.entries()) {
      expect(new Uint8Array(t.data.buffer)).toEqual(
        new Uint8Array((tensors[i] as (typeof tensors)[0]).data.buffer),
      );
    }
  });

  it('writes the spec layout: u64 LE length, space-padded JSON, 8-byte aligned data, contiguous offsets', () => {
    const bytes = writeSafetensors(tensors, { step: '7' });
    const { length, json } = headerOf(bytes);
    expect((8 + length) % 8).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + length))).toMatch(/^\{.*\} *$/);
    expect(json.W1).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(json.b1).toEqual({ dtype: 'F32', shape: [3], data_offsets: [24, 36] });
    expect(json.__metadata__).toEqual({ step: '7' });
    expect(bytes.length).toBe(8 + length + 36);
  });

  it('refuses a duplicate or reserved tensor name, and data that does not fill its shape', () => {
    expect(messageOf(() => writeSafetensors([tensors[1], tensors[1]] as typeof tensors))).toMatch(
      /used twice/,
    );
    expect(
      messageOf(() => writeSafetensors([{ name: '__metadata__', shape: [0], data: new Float32Array(0) }])),
    ).toMatch(/reserved/);
    expect(
      messageOf(() => writeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }])),
    ).toMatch(/needs 4 values, data has 3/);
  });

  it('refuses a truncated file', () => {
    const bytes = writeSafetensors(tensors);
    expect(messageOf(() => readSafetensors(bytes.subarray(0, bytes.length - 4)))).toMatch(
      /^SAFETENSORS_INVALID: .*b1 ends at byte 36, past the 32/,
    );
    expect(messageOf(() => readSafetensors(bytes.subarray(0, 20)))).toMatch(/header length \d+ exceeds/);
    expect(messageOf(() => readSafetensors(bytes.subarray(0, 5)))).toMatch(/too short/);
  });

  it('refuses bytes that belong to no tensor, gaps and overlaps', () => {
    const entry = (begin: number, end: number) => ({
      dtype: 'F32',
      shape: [(end - begin) / 4],
      data_offsets: [begin, end],
    });
    expect(messageOf(() => readSafetensors(withHeader({ a: entry(0, 4) }, 8)))).toMatch(
      /4 data bytes belong to no tensor/,
    );
    expect(messageOf(() => readSafetensors(withHeader({ a: entry(4, 8) }, 8)))).toMatch(
      /a starts at byte 4, expected 0/,
    );
    expect(messageOf(() => readSafetensors(withHeader({ a: entry(0, 8), b: entry(4, 8) }, 8)))).toMatch(
      /gap or overlap/,
    );
  });

  it('refuses a dtype other than F32, naming it', () => {
    const bytes = withHeader({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, 4);
    expect(messageOf(() => readSafetensors(bytes))).toMatch(
      /^SAFETENSORS_UNSUPPORTED_DTYPE: .*a has dtype F16/,
    );
  });

  it('refuses a shape whose size disagrees with its offsets, and malformed headers', () => {
    expect(
      messageOf(() =>
        readSafetensors(withHeader({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8)),
      ),
    ).toMatch(/shape \[3\] needs 12 bytes, data_offsets span 8/);
    expect(
      messageOf(() =>
        readSafetensors(withHeader({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4)),
      ),
    ).toMatch(/not a list of sizes/);
    expect(messageOf(() => readSafetensors(withHeader([1, 2], 0)))).toMatch(/not a JSON object/);
    expect(messageOf(() => readSafetensors(withHeader({ __metadata__: { n: 1 } }, 0)))).toMatch(
      /__metadata__.n is not a string/,
    );
  });
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
if (!hasNumpy) console.warn('python3 with numpy not found: skipping the numpy reader check of safetensors');

describe.skipIf(!hasNumpy)('safetensors read by an independent json+numpy reader', () => {
  it('gives numpy the same names, shapes, values and metadata', () => {
    const path = join(tempDir(), 'model.safetensors');
    writeFileSync(path, writeSafetensors(tensors, { producer: 'descent' }));
    const reader = `
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
out = {'metadata': header.pop('__metadata__', {})}
for name, t in header.items():
    a, b = t['data_offsets']
    arr = np.frombuffer(data[a:b], dtype='<f4').reshape(t['shape'])
    out[name] = {'shape': list(arr.shape), 'values': arr.ravel().tobytes().hex()}
print(json.dumps(out))
`;
    const out = JSON.parse(execFileSync('python3', ['-c', reader, path], { encoding: 'utf8' }));
    expect(out.metadata).toEqual({ producer: 'descent' });
    for (const t of tensors) {
      expect(out[t.name].shape).toEqual(t.shape);
      expect(out[t.name].values).toBe(Buffer.from(t.data.buffer).toString('hex'));
    }
  });
});
