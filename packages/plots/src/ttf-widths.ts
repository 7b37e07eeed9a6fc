import { PlotError, PlotErrorCode } from './errors.js';

/**
 * Horizontal advance widths read from a TrueType file (cmap format 4 + hmtx), enough to measure
 * a line of text the way resvg will draw it. Kerning is ignored: it moves text by a pixel or two.
 */
export class TtfWidths {
  private readonly view: DataView;
  private readonly unitsPerEm: number;
  private readonly numberOfHMetrics: number;
  private readonly hmtx: number;
  private readonly cmap4: number;
  private readonly cache = new Map<number, number>();

  constructor(bytes: Uint8Array, name = 'font') {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tables = this.readTables(name);
    const table = (tag: string): number => {
      const offset = tables.get(tag);
      if (offset === undefined) throw invalid(name, `it has no '${tag}' table`);
      return offset;
    };
    this.unitsPerEm = this.u16(table('head') + 18);
    this.numberOfHMetrics = this.u16(table('hhea') + 34);
    this.hmtx = table('hmtx');
    this.cmap4 = this.findUnicodeFormat4(table('cmap'), name);
  }

  /** Width of `text` in pixels at `fontSize` pixels per em. */
  measure(text: string, fontSize: number): number {
    let units = 0;
    for (const char of text) units += this.advance(char.codePointAt(0) ?? 0);
    return (units / this.unitsPerEm) * fontSize;
  }

  private advance(codePoint: number): number {
    let width = this.cache.get(codePoint);
    if (width === undefined) {
      const glyph = Math.min(this.glyphId(codePoint), this.numberOfHMetrics - 1);
      width = this.u16(this.hmtx + 4 * glyph);
      this.cache.set(codePoint, width);
    }
    return width;
  }

  private glyphId(codePoint: number): number {
    if (codePoint > 0xffff) return 0;
    const base = this.cmap4;
    const segCount = this.u16(base + 6) / 2;
    const ends = base + 14;
    const starts = ends + 2 * segCount + 2;
    const deltas = starts + 2 * segCount;
    const rangeOffsets = deltas + 2 * segCount;
    for (let i = 0; i < segCount; i++) {
      if (this.u16(ends + 2 * i) < codePoint) continue;
      const start = this.u16(starts + 2 * i);
      if (start > codePoint) return 0;
      const delta = this.u16(deltas + 2 * i);
      const rangeOffset = this.u16(rangeOffsets + 2 * i);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = this.u16(rangeOffsets + 2 * i + rangeOffset + 2 * (codePoint - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  }

  private readTables(name: string): Map<string, number> {
    if (this.view.byteLength < 12) throw invalid(name, 'it is too short');
    const tables = new Map<string, number>();
    const count = this.u16(4);
    for (let i = 0; i < count; i++) {
      const record = 12 + 16 * i;
      const tag = String.fromCharCode(...[0, 1, 2, 3].map((k) => this.view.getUint8(record + k)));
      tables.set(tag, this.view.getUint32(record + 8));
    }
    return tables;
  }

  private findUnicodeFormat4(cmap: number, name: string): number {
    const count = this.u16(cmap + 2);
    for (let i = 0; i < count; i++) {
      const record = cmap + 4 + 8 * i;
      const platform = this.u16(record);
      const encoding = this.u16(record + 2);
      const subtable = cmap + this.view.getUint32(record + 4);
      const unicode = platform === 0 || (platform === 3 && encoding === 1);
      if (unicode && this.u16(subtable) === 4) return subtable;
    }
    throw invalid(name, 'it has no Unicode BMP (format 4) character map');
  }

  private u16(offset: number): number {
    return this.view.getUint16(offset);
  }
}

function invalid(name: string, why: string): PlotError {
  return new PlotError(PlotErrorCode.fontMissing, `Cannot read font ${name}: ${why}.`);
}
