import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { specToSvg, svgToPng } from './render.js';

/** A chart described as a vega-lite spec; rendering happens only when asked for. */
export class Figure {
  readonly spec: TopLevelSpec;

  constructor(spec: TopLevelSpec) {
    this.spec = spec;
  }

  toSvg(): Promise<string> {
    return specToSvg(this.spec);
  }

  /** scale 2 gives a sharper image for high-density screens. */
  async toPng(scale = 1): Promise<Uint8Array> {
    return svgToPng(await this.toSvg(), scale);
  }
}

export interface WrittenFigure {
  svgPath: string;
  pngPath: string;
}

/** Writes basePath.svg and basePath.png, creating the directory if needed. */
export async function writeFigure(figure: Figure, basePath: string): Promise<WrittenFigure> {
  const svgPath = `${basePath}.svg`;
  const pngPath = `${basePath}.png`;
  const svg = await figure.toSvg();
  await mkdir(dirname(basePath), { recursive: true });
  await Promise.all([writeFile(svgPath, svg), svgToPng(svg, 1).then((png) => writeFile(pngPath, png))]);
  return { svgPath, pngPath };
}
