import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PlotError, PlotErrorCode } from './errors.js';

export const FONT_FAMILY = 'DejaVu Sans';

const require = createRequire(import.meta.url);
let cached: string[] | undefined;

/** The bundled TrueType files resvg draws text with: [regular, bold]. Shipped on npm so no machine needs system fonts. */
export function fontFiles(): string[] {
  if (cached) return cached;
  const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((name) => {
    try {
      return require.resolve(`dejavu-fonts-ttf/ttf/${name}`);
    } catch (cause) {
      throw new PlotError(
        PlotErrorCode.fontMissing,
        `Font ${name} not found in package dejavu-fonts-ttf; run \`pnpm install\` in the workspace root.`,
        { cause },
      );
    }
  });
  for (const file of files) {
    if (!existsSync(file)) {
      throw new PlotError(PlotErrorCode.fontMissing, `Font file ${file} is missing; reinstall dependencies.`);
    }
  }
  cached = files;
  return files;
}
