import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { compareBatchingCommand } from './compare-batching.js';
import { compareOptimizersCommand } from './compare-optimizers.js';
import { coordinatorCommand } from './coordinator.js';
import { descendCommand } from './descend.js';
import { evalCommand } from './eval.js';
import { gradcheckCommand } from './gradcheck.js';
import { trainCommand } from './train.js';
import { viewCommand } from './view.js';
import { workerCommand } from './worker.js';

export const commands: readonly Command[] = [
  trainCommand,
  coordinatorCommand,
  workerCommand,
  evalCommand,
  gradcheckCommand,
  descendCommand,
  benchCommand,
  viewCommand,
  compareOptimizersCommand,
  compareBatchingCommand,
];
