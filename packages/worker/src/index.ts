export * from './backoff.js';
export * from './local-data.js';
export * from './run-worker.js';
export * from './shard-engine.js';
export * from './worker-error.js';
export * from './worker-options.js';
export * from './worker-session.js';
