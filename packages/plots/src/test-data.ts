/** A loss curve shaped like the seed's run: fast fall from ln 10 ≈ 2.3, then a noisy plateau. */
export function syntheticLosses(length: number, seed = 1): Float64Array {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = 0.1 + 2.2 * Math.exp(-i / 300) + 0.3 * (random() - 0.5);
  return out;
}
