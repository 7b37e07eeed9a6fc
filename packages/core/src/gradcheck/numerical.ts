/**
 * ∂f/∂params[i] by central differences, (f(x + h) − f(x − h)) / (x₊ − x₋), restoring params[i] afterwards.
 * f reads `params`, which is changed in place. Dividing by the distance between the values actually stored
 * rather than by 2h keeps float32's rounding of x ± h out of the result.
 */
export function numericalPartial(
  f: () => number,
  params: Float32Array | Float64Array,
  i: number,
  h = 1e-4,
): number {
  const saved = params[i];
  params[i] = saved + h;
  const plus = params[i];
  const fPlus = f();
  params[i] = saved - h;
  const minus = params[i];
  const fMinus = f();
  params[i] = saved;
  return (fPlus - fMinus) / (plus - minus);
}

/** The book's numerical_gradient: every partial derivative of f at the current `params`. */
export function numericalGradient(
  f: () => number,
  params: Float32Array | Float64Array,
  h = 1e-4,
): Float64Array {
  const grad = new Float64Array(params.length);
  for (let i = 0; i < params.length; i++) grad[i] = numericalPartial(f, params, i, h);
  return grad;
}
