/** Where the coordinator and worker write their log lines. Tokens are never passed to it. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Warnings and errors to stderr, the rest dropped: the default when the caller passes no logger. */
export const stderrLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (message) => console.error(`descent: ${message}`),
  error: (message) => console.error(`descent: ${message}`),
};

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
