import { ElementwiseActivation } from './activation.js';

/** y = max(x, 0); dx = dout where x > 0 (read from the cached output: y > 0 exactly where x > 0). */
export class Relu extends ElementwiseActivation {
  protected apply(x: Float32Array, y: Float32Array, n: number): void {
    this.backend.relu(x, y, n);
  }

  protected applyBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    this.backend.reluBackward(y, dy, dx, n);
  }
}
