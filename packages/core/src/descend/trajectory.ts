import type { OptimizerName } from '../optim/optimizer.js';
import type { ObjectiveName } from './objectives.js';

/**
 * The points an update rule visited, as plain data for JSON and plotting over the objective's contours.
 * `points[0]` is the start and `points[k]` the position after k updates. 'gd' is the chapter-4 gradient method
 * with a numerical gradient; the others are the optimizer classes of the same name.
 */
export interface Trajectory {
  readonly optimizer: OptimizerName | 'gd';
  readonly objective: ObjectiveName;
  readonly lr: number;
  readonly points: [number, number][];
}
