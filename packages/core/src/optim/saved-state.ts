import type { OptimizerState } from './optimizer.js';
import { OptimizerError } from './optimizer-error.js';

/**
 * Copies a saved state's buffers into an optimizer's own, after checking it holds exactly the expected names
 * and sizes: a state from another optimizer or another net must fail loudly, never load half-way.
 */
export function loadBuffers(
  optimizer: string,
  state: OptimizerState,
  targets: Readonly<Record<string, Float32Array>>,
  scalarNames: readonly string[],
): void {
  const expectedBuffers = Object.keys(targets).sort();
  const gotBuffers = Object.keys(state.buffers).sort();
  const expectedScalars = [...scalarNames].sort();
  const gotScalars = Object.keys(state.scalars).sort();
  if (expectedBuffers.join() !== gotBuffers.join() || expectedScalars.join() !== gotScalars.join()) {
    throw new OptimizerError(
      'ERR_OPTIMIZER_STATE',
      `${optimizer}: saved state has buffers [${gotBuffers.join(', ')}] and scalars [${gotScalars.join(', ')}], ` +
        `expected buffers [${expectedBuffers.join(', ')}] and scalars [${expectedScalars.join(', ')}]; ` +
        'was it saved by a different optimizer?',
    );
  }
  for (const name of expectedBuffers) {
    const source = state.buffers[name];
    const target = targets[name];
    if (!(source instanceof Float32Array) || source.length !== target.length) {
      throw new OptimizerError(
        'ERR_OPTIMIZER_STATE',
        `${optimizer}: saved buffer '${name}' must be a Float32Array of ${target.length}, ` +
          `got ${source instanceof Float32Array ? `length ${source.length}` : typeof source}; was it saved for a different net?`,
      );
    }
  }
  for (const name of expectedBuffers) targets[name].set(state.buffers[name]);
}

/** A saved scalar that must be a non-negative integer (a step counter). */
export function readCounter(optimizer: string, state: OptimizerState, name: string): number {
  const value = state.scalars[name];
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new OptimizerError(
      'ERR_OPTIMIZER_STATE',
      `${optimizer}: saved scalar '${name}' must be a non-negative integer, got ${value}`,
    );
  }
  return value;
}
