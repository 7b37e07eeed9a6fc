import { ElementwiseActivation } from './activation.js';

/** y = 1 / (1 + e^−x); dx = dout · y · (1 − y) from the cached output. */
export class Sigmoid extends ElementwiseActivation {
  protected apply(x: Float32Array, y: Float32Array, n: number): void {
    this.backend.sigmoid(x, y, n);
  }

  protected applyBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    this.backend.sigmoidBackward(y, dy, dx, n);
  }
}
