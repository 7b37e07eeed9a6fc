// Dense C(m×n) = op(A)·B for a row-major B (k×n), register-blocked on f32x4 accumulators.
// op(A)[i, p] lives at a + i·rsA + p·ksA (byte strides), so A and Aᵀ share one kernel.
// Every C element is one accumulator lane summed over p in ascending order, starting from C (accumulate)
// or zero: the same order as the sparse kernels, which only leave out terms whose A entry is zero.
import { initial, storeLanes } from './lanes';

@inline
function mac(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

function tile4x8(a: usize, rsA: usize, ksA: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32, acc: bool): void {
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  let s00 = initial(c, acc), s01 = initial(c + 16, acc);
  let s10 = initial(c1, acc), s11 = initial(c1 + 16, acc);
  let s20 = initial(c2, acc), s21 = initial(c2 + 16, acc);
  let s30 = initial(c3, acc), s31 = initial(c3 + 16, acc);
  const r2 = rsA + rsA;
  const r3 = r2 + rsA;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    s00 = mac(s00, x, b0);
    s01 = mac(s01, x, b1);
    x = v128.load32_splat(a + rsA);
    s10 = mac(s10, x, b0);
    s11 = mac(s11, x, b1);
    x = v128.load32_splat(a + r2);
    s20 = mac(s20, x, b0);
    s21 = mac(s21, x, b1);
    x = v128.load32_splat(a + r3);
    s30 = mac(s30, x, b0);
    s31 = mac(s31, x, b1);
    a += ksA;
    b += ldb;
  }
  v128.store(c, s00);
  v128.store(c, s01, 16);
  v128.store(c1, s10);
  v128.store(c1, s11, 16);
  v128.store(c2, s20);
  v128.store(c2, s21, 16);
  v128.store(c3, s30);
  v128.store(c3, s31, 16);
}

/** Four rows by one vector of `lanes` (1–4) columns. */
function tile4x4(a: usize, rsA: usize, ksA: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32, acc: bool, lanes: i32): void {
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  let s0 = initial(c, acc), s1 = initial(c1, acc), s2 = initial(c2, acc), s3 = initial(c3, acc);
  const r2 = rsA + rsA;
  const r3 = r2 + rsA;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b);
    s0 = mac(s0, v128.load32_splat(a), b0);
    s1 = mac(s1, v128.load32_splat(a + rsA), b0);
    s2 = mac(s2, v128.load32_splat(a + r2), b0);
    s3 = mac(s3, v128.load32_splat(a + r3), b0);
    a += ksA;
    b += ldb;
  }
  if (lanes == 4) {
    v128.store(c, s0);
    v128.store(c1, s1);
    v128.store(c2, s2);
    v128.store(c3, s3);
  } else {
    storeLanes(c, s0, lanes);
    storeLanes(c1, s1, lanes);
    storeLanes(c2, s2, lanes);
    storeLanes(c3, s3, lanes);
  }
}

function tile1x8(a: usize, ksA: usize, b: usize, ldb: usize, c: usize, k: i32, acc: bool): void {
  let s0 = initial(c, acc), s1 = initial(c + 16, acc);
  for (let p = 0; p < k; p++) {
    const x = v128.load32_splat(a);
    s0 = mac(s0, x, v128.load(b));
    s1 = mac(s1, x, v128.load(b, 16));
    a += ksA;
    b += ldb;
  }
  v128.store(c, s0);
  v128.store(c, s1, 16);
}

function tile1x4(a: usize, ksA: usize, b: usize, ldb: usize, c: usize, k: i32, acc: bool, lanes: i32): void {
  let s0 = initial(c, acc);
  for (let p = 0; p < k; p++) {
    s0 = mac(s0, v128.load32_splat(a), v128.load(b));
    a += ksA;
    b += ldb;
  }
  if (lanes == 4) v128.store(c, s0);
  else storeLanes(c, s0, lanes);
}

/** C(m×n) (=|+=) op(A)·B, B row-major k×n; strides of op(A) in elements. */
export function denseGemm(m: i32, n: i32, k: i32, a: usize, rowStrideA: i32, kStrideA: i32, b: usize, c: usize, acc: bool): void {
  const rsA = <usize>rowStrideA << 2;
  const ksA = <usize>kStrideA << 2;
  const ldb = <usize>n << 2;
  const ldc = <usize>n << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const ai = a + <usize>i * rsA;
    const ci = c + <usize>i * ldc;
    let j = 0;
    for (; j + 8 <= n; j += 8) tile4x8(ai, rsA, ksA, b + (<usize>j << 2), ldb, ci + (<usize>j << 2), ldc, k, acc);
    for (; j < n; j += 4) tile4x4(ai, rsA, ksA, b + (<usize>j << 2), ldb, ci + (<usize>j << 2), ldc, k, acc, min(n - j, 4));
  }
  for (; i < m; i++) {
    const ai = a + <usize>i * rsA;
    const ci = c + <usize>i * ldc;
    let j = 0;
    for (; j + 8 <= n; j += 8) tile1x8(ai, ksA, b + (<usize>j << 2), ldb, ci + (<usize>j << 2), k, acc);
    for (; j < n; j += 4) tile1x4(ai, ksA, b + (<usize>j << 2), ldb, ci + (<usize>j << 2), k, acc, min(n - j, 4));
  }
}
