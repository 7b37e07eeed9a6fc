// Helpers for the last, partial vector of a row: loads may read past the row (every buffer the backend
// hands out ends with at least 16 bytes of slack), but stores must touch only the lanes that belong to it.

/** Stores the first `lanes` (1–3) lanes of `v` at `ptr`. */
@inline
export function storeLanes(ptr: usize, v: v128, lanes: i32): void {
  if (lanes == 1) v128.store32_lane(ptr, v, 0);
  else v128.store64_lane(ptr, v, 0);
  if (lanes == 3) v128.store32_lane(ptr, v, 2, 8);
}

/** The starting value of an accumulator: what C holds when accumulating, else zeros. */
@inline
export function initial(ptr: usize, accumulate: bool): v128 {
  return accumulate ? v128.load(ptr) : f32x4.splat(0);
}
