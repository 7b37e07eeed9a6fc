/** The book's step: small enough for accuracy, large enough that float rounding does not swamp the difference. */
const H = 1e-4;

/**
 * Central differences (f(x + h) − f(x − h)) / 2h per coordinate, as the book's `numerical_gradient`: each
 * coordinate is nudged in place and put back, so `x` is unchanged afterwards.
 */
export function numericalGradient(f: (x: Float64Array) => number, x: Float64Array): Float64Array {
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i];
    x[i] = saved + H;
    const up = f(x);
    x[i] = saved - H;
    const down = f(x);
    x[i] = saved;
    grad[i] = (up - down) / (2 * H);
  }
  return grad;
}
