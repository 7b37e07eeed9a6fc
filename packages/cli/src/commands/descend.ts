import { join, resolve } from 'node:path';
import { compareOptimizers, gradientDescent, type Trajectory } from '@descent/core';
import { descentFigure, writeFigure } from '@descent/plots';
import type { Command } from '../command.js';
import { stringFlag } from '../flags.js';

const spec = {
  name: 'descend',
  summary:
    "the seed's gradient method on 2-D functions: trajectories as JSON, paths over contours as SVG/PNG",
  flags: {
    out: { type: 'string', value: 'DIR', help: 'where the plots go', default: 'runs/descend' },
  },
} as const;

function label(t: Trajectory): string {
  return `${t.optimizer === 'gd' ? 'gradient descent' : t.optimizer} (η ${t.lr})`;
}

export const descendCommand: Command = {
  spec,
  async run(values) {
    const out = resolve(stringFlag(values, 'out', spec) ?? 'runs/descend');
    const gd = gradientDescent();
    const compared = compareOptimizers();
    await writeFigure(
      descentFigure('sphere', [{ label: label(gd), points: gd.points }]),
      join(out, 'sphere'),
    );
    await writeFigure(
      descentFigure(
        'bowl',
        compared.map((t) => ({ label: label(t), points: t.points })),
      ),
      join(out, 'bowl'),
    );
    process.stdout.write(`${JSON.stringify({ trajectories: [gd, ...compared] })}\n`);
    process.stderr.write(`plots: ${join(out, 'sphere.svg')} and ${join(out, 'bowl.svg')} (and .png)\n`);
    return 0;
  },
};
