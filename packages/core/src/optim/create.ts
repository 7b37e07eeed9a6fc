import type { Backend } from '../tensor/backend.js';
import type { OptimizerConfig } from '../train/config.js';
import { AdaGrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Momentum } from './momentum.js';
import { Nesterov } from './nesterov.js';
import type { Optimizer } from './optimizer.js';
import { OptimizerError } from './optimizer-error.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';

/** Every name `createOptimizer` accepts, for messages and CLI help. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;

/**
 * The optimizer a run config names, over `paramCount` parameters. Only the hyper-parameters that rule uses
 * are read, and each is validated by the optimizer's constructor. With `backend`, SGD updates through its
 * kernels (parameters allocated by it then take no copy).
 */
export function createOptimizer(config: OptimizerConfig, paramCount: number, backend?: Backend): Optimizer {
  const { lr } = config;
  switch (config.name) {
    case 'sgd':
      return new Sgd(paramCount, { lr, backend });
    case 'momentum':
      return new Momentum(paramCount, { lr, momentum: config.momentum });
    case 'nesterov':
      return new Nesterov(paramCount, { lr, momentum: config.momentum });
    case 'adagrad':
      return new AdaGrad(paramCount, { lr });
    case 'rmsprop':
      return new RmsProp(paramCount, { lr, decayRate: config.decayRate });
    case 'adam':
      return new Adam(paramCount, { lr, beta1: config.beta1, beta2: config.beta2, eps: config.eps });
    default:
      throw new OptimizerError(
        'ERR_OPTIMIZER_UNKNOWN',
        `unknown optimizer '${String((config as { name: unknown }).name)}'; use one of ${OPTIMIZER_NAMES.join(', ')}`,
      );
  }
}
