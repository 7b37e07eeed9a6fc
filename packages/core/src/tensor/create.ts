import type { Backend, BackendName } from './backend.js';
import { JsBackend } from './js-backend.js';
import { WasmBackend } from './wasm-backend.js';

/** The kernel backends this build can create. */
export const backendNames: readonly BackendName[] = ['js', 'wasm'];

/** Thrown for a backend name this build does not know; `code` is stable, `valid` lists the choices. */
export class UnknownBackendError extends RangeError {
  readonly code = 'UNKNOWN_BACKEND';
  readonly valid = backendNames;

  constructor(readonly requested: string) {
    super(`unknown kernel backend '${requested}': valid backends are ${backendNames.join(', ')}`);
    this.name = 'UnknownBackendError';
  }
}

/** A fresh backend by name (e.g. from the command line or a run config). */
export function createBackend(name: string): Backend {
  switch (name) {
    case 'js':
      return new JsBackend();
    case 'wasm':
      return new WasmBackend();
    default:
      throw new UnknownBackendError(name);
  }
}
