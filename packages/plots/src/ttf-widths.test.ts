import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fontFiles } from './font.js';
import { TtfWidths } from './ttf-widths.js';

describe('TtfWidths', () => {
  const [regular, bold] = fontFiles().map((f) => new TtfWidths(readFileSync(f), f));

  it('measures proportional glyphs: i is narrower than W', () => {
    expect(regular.measure('i', 12)).toBeLessThan(regular.measure('W', 12) / 2);
  });

  it('adds glyph widths and scales with the font size', () => {
    expect(regular.measure('ab', 10)).toBeCloseTo(regular.measure('a', 10) + regular.measure('b', 10), 9);
    expect(regular.measure('loss', 24)).toBeCloseTo(2 * regular.measure('loss', 12), 9);
  });

  it('knows DejaVu Sans advance widths (space 651/2048 em, bold wider)', () => {
    expect(regular.measure(' ', 2048)).toBe(651);
    expect(bold.measure('iteration', 12)).toBeGreaterThan(regular.measure('iteration', 12));
  });

  it('measures non-ASCII labels such as η and ²', () => {
    expect(regular.measure('η', 12)).toBeGreaterThan(0);
    expect(regular.measure('x²', 12)).toBeGreaterThan(regular.measure('x', 12));
  });

  it('rejects bytes that are not a TrueType font with PLOT_FONT_MISSING', () => {
    expect(() => new TtfWidths(new Uint8Array(4), 'junk')).toThrow(
      expect.objectContaining({ code: 'PLOT_FONT_MISSING' }),
    );
  });
});
