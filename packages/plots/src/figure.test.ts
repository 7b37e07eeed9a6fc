import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFigure } from './figure.js';
import { lossFigure } from './loss.js';
import { syntheticLosses } from './test-data.js';
import { summarizePng } from './test-png.js';

describe('Figure', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('renders PNG at a scale that multiplies both dimensions', async () => {
    const figure = lossFigure(syntheticLosses(300));
    const one = summarizePng(await figure.toPng());
    const two = summarizePng(await figure.toPng(2));
    expect(two.width).toBe(2 * one.width);
    expect(two.height).toBe(2 * one.height);
  });

  it('refuses a non-positive PNG scale with PLOT_INVALID_OPTION', async () => {
    await expect(lossFigure([1, 2]).toPng(0)).rejects.toMatchObject({ code: 'PLOT_INVALID_OPTION' });
  });

  it('writeFigure writes basePath.svg and basePath.png, creating the directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plots-'));
    dirs.push(dir);
    const written = await writeFigure(lossFigure(syntheticLosses(300)), join(dir, 'run', 'loss'));
    expect(written).toEqual({ svgPath: join(dir, 'run', 'loss.svg'), pngPath: join(dir, 'run', 'loss.png') });
    expect((await readFile(written.svgPath, 'utf8')).startsWith('<svg')).toBe(true);
    expect(summarizePng(await readFile(written.pngPath)).width).toBeGreaterThan(0);
  });
});
