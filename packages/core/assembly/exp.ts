// e^x in float32 (Cephes expf): x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split, so n·C1 is exact), a
// degree-7 polynomial for e^r, and 2^n built in the exponent bits. n is rounded by adding 1.5·2^23, which
// leaves n in the low mantissa bits, ready to shift into the exponent: cheaper than nearest + convert.
// Valid on [-87.3, 88] (Cephes quotes ~1e-7 relative error); inputs are clamped there, so it never returns inf or a
// subnormal. sigmoid = 1/(1 + e^-x) built on it is within 1.5e-7 relative (2.5 ulp) of the exact value.
// The vector and scalar forms do the same float32 operations in the same order, so they agree bitwise.

const LOG2E: f32 = 1.44269504088896341;
const ROUND: f32 = 12582912;
const C1: f32 = 0.693359375;
const C2: f32 = -2.12194440e-4;
const LO: f32 = -87.3365478515625;
const HI: f32 = 88; // keeps n ≤ 127 after rounding
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

// The vector form reads its constants from this table: V8 rebuilds every v128 constant inside the loop
// (three instructions each), while a splat-load from memory is one.
const TABLE = memory.data<f32>([LO, HI, LOG2E, ROUND, C1, C2, P0, P1, P2, P3, P4, P5, 1]);
const TABLE_BIAS = memory.data<i32>([127]);

@inline
function constant(index: i32): v128 {
  return v128.load32_splat(TABLE + (<usize>index << 2));
}

@inline
export function expVec(x: v128): v128 {
  // pmax/pmin keep a NaN x (it is their first operand), so e^NaN stays NaN.
  x = f32x4.pmin(f32x4.pmax(x, constant(0)), constant(1));
  const round = constant(3);
  const t = f32x4.add(f32x4.mul(x, constant(2)), round);
  const n = f32x4.sub(t, round);
  let r = f32x4.sub(x, f32x4.mul(n, constant(4)));
  r = f32x4.sub(r, f32x4.mul(n, constant(5)));
  const z = f32x4.mul(r, r);
  let p = f32x4.add(f32x4.mul(constant(6), r), constant(7));
  p = f32x4.add(f32x4.mul(p, r), constant(8));
  p = f32x4.add(f32x4.mul(p, r), constant(9));
  p = f32x4.add(f32x4.mul(p, r), constant(10));
  p = f32x4.add(f32x4.mul(p, r), constant(11));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, z), r), constant(12));
  const pow2 = i32x4.shl(i32x4.add(t, v128.load32_splat(TABLE_BIAS)), 23);
  return f32x4.mul(y, pow2);
}

@inline
export function expScalar(x: f32): f32 {
  x = x < LO ? LO : x;
  x = HI < x ? HI : x;
  const t = x * LOG2E + ROUND;
  const n = t - ROUND;
  let r = x - n * C1;
  r = r - n * C2;
  const z = r * r;
  let p = P0 * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  const y = p * z + r + 1;
  return y * reinterpret<f32>((reinterpret<i32>(t) + 127) << 23);
}
