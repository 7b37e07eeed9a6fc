import { join, resolve } from 'node:path';
import { compareOptimizers, gradientDescent, type Trajectory } from '@descent/core';
import { descentFigure, writeFigure } from '@descent/plots';
import type { Command } from '../command.js';
import { OPTIMIZER_LABEL } from '../compare/book-optimizers.js';
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
  return `${t.optimizer === 'gd' ? 'gradient descent' : OPTIMIZER_LABEL[t.optimizer]} (η ${t.lr})`;
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
    // The book draws each optimizer in its own panel: overlaid, the paths near y = 0 hide one another.
    for (const t of compared) {
      await writeFigure(
        descentFigure('bowl', [{ label: label(t), points: t.points }], { title: label(t) }),
        join(out, `bowl-${t.optimizer}`),
      );
    }
    process.stdout.write(`${JSON.stringify({ trajectories: [gd, ...compared] })}\n`);
    process.stderr.write(
      `plots: ${join(out, 'sphere.svg')}, ${join(out, 'bowl.svg')} and one bowl-<optimizer>.svg each (and .png)\n`,
    );
    return 0;
  },
};
