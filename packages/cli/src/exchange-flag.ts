import type { Exchange } from '@descent/coordinator';
import { type CommandSpec, choiceFlag, type FlagSpec, type FlagValues } from './flags.js';

/** The coordinator's EXCHANGES, listed here so that reading flags does not load it (a test compares the two). */
export const EXCHANGE_CHOICES: readonly Exchange[] = ['auto', 'factors', 'params'];

/** What crosses the network each step, shared by `train` and `coordinator`. */
export const exchangeFlag: Readonly<Record<string, FlagSpec>> = {
  exchange: {
    type: 'string',
    value: EXCHANGE_CHOICES.join('|'),
    help:
      "what crosses the network each step: 'params' sends whole gradients up and parameters down; 'factors' " +
      "sends the first layer's weight gradient as its factor and every process applies the step (for a batch " +
      "smaller than the net's inputs, fewer bytes: a tenth on the seed recipe); 'auto' picks factors where " +
      'possible and smaller. The weights are the same bits either way',
    default: 'auto',
  },
};

export function exchangeOption(values: FlagValues, spec: CommandSpec): Exchange {
  return choiceFlag(values, 'exchange', spec, EXCHANGE_CHOICES) ?? 'auto';
}
