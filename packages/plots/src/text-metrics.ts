import { readFileSync } from 'node:fs';
import * as vega from 'vega';
import { fontFiles } from './font.js';
import { TtfWidths } from './ttf-widths.js';

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

interface VegaTextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

// vega's default size when a mark sets none.
const VEGA_DEFAULT_FONT_SIZE = 11;

let installed = false;

/**
 * Without a canvas vega guesses every character at 0.8 em, which leaves legends and margins far
 * too wide. vega supports a user-supplied measurer (its typings do not declare it), so give it the
 * real advance widths of the font resvg will draw with.
 */
export function installTextMetrics(): void {
  if (installed) return;
  const metrics = (vega as unknown as { textMetrics?: VegaTextMetrics }).textMetrics;
  if (!metrics) return;
  const [regular, bold] = fontFiles().map((file) => new TtfWidths(readFileSync(file), file));
  metrics.width = (item, text) => {
    const value = text ?? item.text;
    const line = Array.isArray(value) ? value.join(' ') : String(value ?? '');
    const weight = item.fontWeight;
    const font = weight === 'bold' || (typeof weight === 'number' && weight >= 600) ? bold : regular;
    return font.measure(line, item.fontSize ?? VEGA_DEFAULT_FONT_SIZE);
  };
  installed = true;
}
