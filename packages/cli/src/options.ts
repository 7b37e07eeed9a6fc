import { type BackendName, backendNames } from '@descent/core';
import type { FlagSpec } from './flags.js';

/** The fastest backend this build has; the TypeScript one is the reference. */
export const defaultBackend: BackendName = backendNames.includes('wasm') ? 'wasm' : 'js';

export const backendFlag: FlagSpec = {
  type: 'string',
  value: backendNames.join('|'),
  help: 'kernel backend (results are bitwise reproducible within one backend)',
  default: defaultBackend,
};

export const dataFlag: FlagSpec = {
  type: 'string',
  value: 'DIR',
  help: 'MNIST-format directory (the four standard file names, raw or .gz); default: the bundled MNIST',
};
