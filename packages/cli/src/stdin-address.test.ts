import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAddress } from './stdin-address.js';

describe('readAddress', () => {
  it('reads the first line, however the bytes arrive, and leaves the rest', async () => {
    const input = Readable.from(['ws://127.0.0.1:', '7070\nignored\n'].map((s) => Buffer.from(s)));
    expect(await readAddress(input)).toBe('ws://127.0.0.1:7070');
  });

  it('takes a last line without its newline', async () => {
    expect(await readAddress(Readable.from([Buffer.from(' ws://h:1 ')]))).toBe('ws://h:1');
  });

  it('refuses an empty stdin and a first line too long to be an address', async () => {
    await expect(readAddress(Readable.from([]))).rejects.toThrow(
      /stdin ended before a coordinator address came/,
    );
    await expect(readAddress(Readable.from([Buffer.from('x'.repeat(5000))]))).rejects.toThrow(
      /runs past 4096/,
    );
  });
});
