export type * from './client/wire.js';
export { configRows } from './config-rows.js';
export { DashboardError, DashboardErrorCode } from './dashboard-error.js';
export { StreamingEma, smoothingSpan } from './ema.js';
export { loadRun } from './replay.js';
export { RunState, type RunStateOptions } from './run-state.js';
export { DashboardServer, type DashboardServerOptions } from './server.js';
export { baseName, WorkerBoard, type WorkerProbe } from './worker-board.js';
