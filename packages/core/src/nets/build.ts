import type { Backend } from '../tensor/backend.js';
import type { ModelConfig } from '../train/config.js';
import { MultiLayerNet } from './multi-layer-net.js';
import type { SequentialNet, SharedParamsOption } from './sequential-net.js';
import { TwoLayerNet } from './two-layer-net.js';

/** Thrown by `buildNet` for a model config it cannot build; `code` is stable. */
export class ModelConfigError extends RangeError {
  readonly code = 'INVALID_MODEL_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

/**
 * The net a run config describes, initialised from `seed`, with buffers for up to `maxRows` rows a call (or
 * computing with `shared.sharedParams`).
 */
export function buildNet(
  model: ModelConfig,
  backend: Backend,
  seed: number,
  maxRows: number,
  shared: SharedParamsOption = {},
): SequentialNet {
  switch (model.kind) {
    case 'two-layer': {
      const conflicts = [
        model.hidden.length !== 1 && `hidden must have exactly one size (got ${model.hidden.length})`,
        model.init !== 'std' && `init must be 'std' (got '${model.init}')`,
        model.weightDecay !== 0 && `weightDecay must be 0 (got ${model.weightDecay})`,
        model.dropout !== 0 && `dropout must be 0 (got ${model.dropout})`,
        model.batchNorm && 'batchNorm must be off',
      ].filter((c): c is string => typeof c === 'string');
      if (conflicts.length > 0) {
        throw new ModelConfigError(
          `model 'two-layer' is the book's TwoLayerNet: ${conflicts.join('; ')}; use kind 'mlp' otherwise`,
        );
      }
      return new TwoLayerNet(backend, {
        inputSize: model.inputSize,
        hiddenSize: model.hidden[0],
        outputSize: model.outputSize,
        initStd: model.initStd,
        activation: model.activation,
        seed,
        maxRows,
        ...shared,
      });
    }
    case 'mlp':
      return new MultiLayerNet(backend, {
        inputSize: model.inputSize,
        hiddenSizes: model.hidden,
        outputSize: model.outputSize,
        activation: model.activation,
        init: model.init,
        initStd: model.initStd,
        weightDecay: model.weightDecay,
        dropout: model.dropout,
        batchNorm: model.batchNorm,
        seed,
        maxRows,
        ...shared,
      });
    default:
      throw new ModelConfigError(
        `unknown model kind '${(model as { kind: string }).kind}': valid kinds are two-layer, mlp`,
      );
  }
}
