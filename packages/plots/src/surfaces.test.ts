import { describe, expect, it } from 'vitest';
import { contourPoints, SURFACES } from './surfaces.js';

describe('contourPoints', () => {
  it('traces closed rings on which f equals the level', () => {
    for (const surface of Object.values(SURFACES)) {
      for (const p of contourPoints(surface, 36)) {
        expect(surface.a * p.x ** 2 + surface.b * p.y ** 2).toBeCloseTo(p.level, 9);
      }
    }
  });

  it('starts and ends every ring at the same point', () => {
    const ring = contourPoints(SURFACES.bowl, 36).filter((p) => p.level === SURFACES.bowl.levels[0]);
    expect(ring[0].x).toBeCloseTo(ring.at(-1)!.x, 9);
    expect(ring[0].y).toBeCloseTo(ring.at(-1)!.y, 9);
  });
});
