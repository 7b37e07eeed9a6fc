// Softmax with cross-entropy, row by row. Labels are checked by the caller before these run.
import { expScalar, expVec } from './exp';

/** probs = softmax(logits) per row; returns Σ_rows log Σ e^(z − max) − (z[label] − max), in double. */
export function softmaxCrossEntropy(logits: usize, labels: usize, rows: i32, cols: i32, probs: usize): f64 {
  const ld = (<usize>cols) << 2;
  const n = rows * cols;
  let loss: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const z = logits + <usize>i * ld;
    const q = probs + <usize>i * ld;
    let top = load<f32>(z);
    for (let j = 1; j < cols; j++) {
      const v = load<f32>(z + ((<usize>j) << 2));
      if (v > top) top = v;
    }
    for (let j = 0; j < cols; j++) store<f32>(q + ((<usize>j) << 2), load<f32>(z + ((<usize>j) << 2)) - top);
    const label = load<i32>(labels + ((<usize>i) << 2));
    loss -= <f64>load<f32>(z + ((<usize>label) << 2)) - <f64>top;
  }
  // The exponentials of the whole (shifted) matrix at once, four lanes at a time.
  let k = 0;
  for (; k + 4 <= n; k += 4)
    v128.store(probs + ((<usize>k) << 2), expVec(v128.load(probs + ((<usize>k) << 2))));
  for (; k < n; k++) store<f32>(probs + ((<usize>k) << 2), expScalar(load<f32>(probs + ((<usize>k) << 2))));
  for (let i = 0; i < rows; i++) {
    const q = probs + <usize>i * ld;
    let sum: f64 = 0;
    for (let j = 0; j < cols; j++) sum += <f64>load<f32>(q + ((<usize>j) << 2));
    const inv = <f32>(1 / sum);
    for (let j = 0; j < cols; j++) store<f32>(q + ((<usize>j) << 2), load<f32>(q + ((<usize>j) << 2)) * inv);
    loss += Math.log(sum);
  }
  return loss;
}

/** dx = (probs − onehot(labels)) · scale. */
export function softmaxCrossEntropyBackward(
  probs: usize,
  labels: usize,
  rows: i32,
  cols: i32,
  scale: f32,
  dx: usize,
): void {
  const n = rows * cols;
  const s = f32x4.splat(scale);
  let k = 0;
  for (; k + 4 <= n; k += 4)
    v128.store(dx + ((<usize>k) << 2), f32x4.mul(v128.load(probs + ((<usize>k) << 2)), s));
  for (; k < n; k++) store<f32>(dx + ((<usize>k) << 2), load<f32>(probs + ((<usize>k) << 2)) * scale);
  for (let i = 0; i < rows; i++) {
    const at = (<usize>(i * cols + load<i32>(labels + ((<usize>i) << 2)))) << 2;
    store<f32>(dx + at, (load<f32>(probs + at) - 1) * scale);
  }
}

/** Rows whose first largest logit is at the label. */
export function countCorrect(logits: usize, labels: usize, rows: i32, cols: i32): i32 {
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    const z = logits + <usize>i * ((<usize>cols) << 2);
    let best = 0;
    let top = load<f32>(z);
    for (let j = 1; j < cols; j++) {
      const v = load<f32>(z + ((<usize>j) << 2));
      if (v > top) {
        top = v;
        best = j;
      }
    }
    if (best == load<i32>(labels + ((<usize>i) << 2))) correct++;
  }
  return correct;
}
