import type { Logger } from '@descent/protocol';

export type { Logger };

/** Warnings and errors to stderr, the rest dropped: the default when the caller passes no logger. */
export const stderrLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (message) => console.error(`descent: ${message}`),
  error: (message) => console.error(`descent: ${message}`),
};

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
