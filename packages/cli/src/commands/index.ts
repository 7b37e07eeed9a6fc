import type { Command } from '../command.js';

/**
 * Every command, in the order help lists them, each loaded only when it runs: a process holds its own
 * command's modules alone (a worker has no use for plotting, the dashboard or the coordinator).
 */
export const commandLoaders: Readonly<Record<string, () => Promise<Command>>> = {
  train: async () => (await import('./train.js')).trainCommand,
  coordinator: async () => (await import('./coordinator.js')).coordinatorCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
  eval: async () => (await import('./eval.js')).evalCommand,
  gradcheck: async () => (await import('./gradcheck.js')).gradcheckCommand,
  descend: async () => (await import('./descend.js')).descendCommand,
  bench: async () => (await import('./bench.js')).benchCommand,
  view: async () => (await import('./view.js')).viewCommand,
  'compare-optimizers': async () => (await import('./compare-optimizers.js')).compareOptimizersCommand,
  'compare-batching': async () => (await import('./compare-batching.js')).compareBatchingCommand,
};

/** Every command, loaded: for the overview and for tests over all of them. */
export async function loadCommands(): Promise<Command[]> {
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
