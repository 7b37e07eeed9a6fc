import { renderAsync } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PlotError, PlotErrorCode } from './errors.js';
import { FONT_FAMILY, fontFiles } from './font.js';
import { installTextMetrics } from './text-metrics.js';

/** Runs vega headless: renderer 'none' builds the scenegraph without a canvas or DOM. */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  let view: View | undefined;
  try {
    installTextMetrics();
    view = new View(parse(compile(spec).spec), { renderer: 'none' });
    return await view.toSVG();
  } catch (cause) {
    throw new PlotError(PlotErrorCode.renderFailed, `Could not render the figure to SVG: ${message(cause)}`, {
      cause,
    });
  } finally {
    view?.finalize();
  }
}

/** Rasterizes on libuv's thread pool, so that several figures rasterize at once and the caller runs on meanwhile. */
export async function svgToPng(svg: string, scale: number): Promise<Uint8Array> {
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 8)) {
    throw new PlotError(PlotErrorCode.invalidOption, `PNG scale must be in (0, 8], got ${scale}.`);
  }
  try {
    const image = await renderAsync(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    });
    return new Uint8Array(image.asPng());
  } catch (cause) {
    if (cause instanceof PlotError) throw cause;
    throw new PlotError(PlotErrorCode.renderFailed, `Could not rasterize the SVG to PNG: ${message(cause)}`, {
      cause,
    });
  }
}

function message(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
