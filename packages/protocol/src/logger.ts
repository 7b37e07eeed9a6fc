/** Where the coordinator and worker write their log lines. Tokens are never passed to it. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
