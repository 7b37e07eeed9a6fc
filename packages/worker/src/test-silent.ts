import type { Logger } from './worker-options.js';

export const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
