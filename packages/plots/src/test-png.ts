import { inflateSync } from 'node:zlib';

export interface PngSummary {
  width: number;
  height: number;
  /** Share of decoded bytes that are not white, a cheap "something was drawn" measure. */
  inkFraction: number;
  distinctBytes: number;
}

const MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function summarizePng(png: Uint8Array): PngSummary {
  if (!MAGIC.every((b, i) => png[i] === b)) throw new Error('not a PNG: bad magic bytes');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  let ink = 0;
  const distinct = new Set<number>();
  for (const byte of raw) {
    if (byte !== 0xff) ink++;
    distinct.add(byte);
  }
  return { width, height, inkFraction: ink / raw.length, distinctBytes: distinct.size };
}
