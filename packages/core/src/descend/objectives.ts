export type ObjectiveName = 'sphere' | 'bowl';

/** A function of two variables with its analytic gradient, to watch an update rule walk downhill. */
export interface Objective2d {
  readonly name: ObjectiveName;
  /** As a plot title would write it. */
  readonly formula: string;
  value(x: number, y: number): number;
  /** Writes [∂f/∂x, ∂f/∂y] into out. */
  gradient(x: number, y: number, out: Float32Array | Float64Array): void;
}

/** The book's chapter-4 example, f(x0, x1) = x0² + x1²: round contours, minimum at the origin. */
export const sphere: Objective2d = {
  name: 'sphere',
  formula: 'x0^2 + x1^2',
  value: (x, y) => x * x + y * y,
  gradient: (x, y, out) => {
    out[0] = 2 * x;
    out[1] = 2 * y;
  },
};

/**
 * The book's chapter-6 example, f(x, y) = x²/20 + y²: a long shallow valley along x, where the gradient points
 * mostly across the valley instead of toward the minimum, so plain SGD zig-zags.
 */
export const bowl: Objective2d = {
  name: 'bowl',
  formula: 'x^2 / 20 + y^2',
  value: (x, y) => (x * x) / 20 + y * y,
  gradient: (x, y, out) => {
    out[0] = x / 10;
    out[1] = 2 * y;
  },
};

export const OBJECTIVES: Readonly<Record<ObjectiveName, Objective2d>> = { sphere, bowl };
