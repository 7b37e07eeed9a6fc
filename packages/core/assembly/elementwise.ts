// Element-wise kernels and reductions: f32x4 over the body, the same operations lane by lane on the tail.
import { expScalar, expVec } from './exp';

// A splat of 1 from memory: a v128 constant would be rebuilt inside the loop (see exp.ts).
const ONE = memory.data<f32>([1]);

@inline
function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

export function addBias(x: usize, bias: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = x + <usize>i * (<usize>cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(at(row, j), f32x4.add(v128.load(at(row, j)), v128.load(at(bias, j))));
    for (; j < cols; j++) store<f32>(at(row, j), load<f32>(at(row, j)) + load<f32>(at(bias, j)));
  }
}

/** out[j] (=|+=) Σ_i x[i, j], rows summed in order from zero, then added to out. */
export function sumRows(x: usize, rows: i32, cols: i32, out: usize, acc: bool): void {
  const ld = <usize>cols << 2;
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let s = f32x4.splat(0);
    for (let i = 0; i < rows; i++) s = f32x4.add(s, v128.load(at(x + <usize>i * ld, j)));
    v128.store(at(out, j), acc ? f32x4.add(v128.load(at(out, j)), s) : s);
  }
  for (; j < cols; j++) {
    let s: f32 = 0;
    for (let i = 0; i < rows; i++) s += load<f32>(at(x + <usize>i * ld, j));
    store<f32>(at(out, j), acc ? load<f32>(at(out, j)) + s : s);
  }
}

export function relu(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  // max(v, 0) with NaN kept as NaN would differ from the reference's `v > 0 ? v : 0`; a select matches it.
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    v128.store(at(y, i), v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(y, i), v > 0 ? v : 0);
  }
}

export function reluBackward(x: usize, dy: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(at(dx, i), v128.and(v128.load(at(dy, i)), f32x4.gt(v128.load(at(x, i)), zero)));
  }
  for (; i < n; i++) store<f32>(at(dx, i), load<f32>(at(x, i)) > 0 ? load<f32>(at(dy, i)) : 0);
}

export function sigmoid(x: usize, y: usize, n: i32): void {
  const one = v128.load32_splat(ONE);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = expVec(f32x4.neg(v128.load(at(x, i))));
    v128.store(at(y, i), f32x4.div(one, f32x4.add(one, e)));
  }
  for (; i < n; i++) store<f32>(at(y, i), <f32>1 / (<f32>1 + expScalar(-load<f32>(at(x, i)))));
}

export function sigmoidBackward(y: usize, dy: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(y, i));
    v128.store(at(dx, i), f32x4.mul(f32x4.mul(v128.load(at(dy, i)), v), f32x4.sub(one, v)));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(y, i));
    store<f32>(at(dx, i), load<f32>(at(dy, i)) * v * (1 - v));
  }
}

export function axpy(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v128.load(at(x, i)))));
  }
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + a * load<f32>(at(x, i)));
}

export function scale(n: i32, a: f32, x: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.mul(v128.load(at(x, i)), av));
  for (; i < n; i++) store<f32>(at(x, i), load<f32>(at(x, i)) * a);
}

/** Σ x² in double precision: two f64x2 accumulators (even and odd lane pairs), then the tail. */
export function sumSquares(x: usize, n: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    const a = f64x2.promote_low_f32x4(v);
    const b = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  const s = f64x2.add(lo, hi);
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(at(x, i));
    sum += v * v;
  }
  return sum;
}

/** y = x / d, each quotient rounded once (dividing, unlike scaling by 1/d, rounds exactly as the reference). */
export function divide(n: i32, x: usize, d: f32, y: usize): void {
  const dv = f32x4.splat(d);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.div(v128.load(at(x, i)), dv));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(x, i)) / d);
}

/** q = x / d, then y += a·q: divide then axpy in one pass, with their bits (x may be q). */
export function divideAxpy(n: i32, x: usize, d: f32, a: f32, q: usize, y: usize): void {
  const dv = f32x4.splat(d);
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = f32x4.div(v128.load(at(x, i)), dv);
    v128.store(at(q, i), v);
    v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v)));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(x, i)) / d;
    store<f32>(at(q, i), v);
    store<f32>(at(y, i), load<f32>(at(y, i)) + a * v);
  }
}

// 255 as a splat from memory, for the same reason as ONE.
const BYTE_MAX = memory.data<f32>([255]);

/** x[i] = bytes[i] / 255, correctly rounded: the value of the reference's PIXEL_TO_UNIT table. */
export function unitBytes(bytes: usize, n: i32, x: usize): void {
  const scale = v128.load32_splat(BYTE_MAX);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const b = v128.load(bytes + <usize>i);
    const lo = i16x8.extend_low_i8x16_u(b);
    const hi = i16x8.extend_high_i8x16_u(b);
    v128.store(at(x, i), f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)), scale));
    v128.store(at(x, i + 4), f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), scale));
    v128.store(at(x, i + 8), f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), scale));
    v128.store(at(x, i + 12), f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), scale));
  }
  for (; i < n; i++) store<f32>(at(x, i), <f32>load<u8>(bytes + <usize>i) / 255);
}
