/** Stable codes for everything the wasm backend can refuse. */
export const WasmBackendErrorCode = {
  kernelsMissing: 'WASM_KERNELS_MISSING',
  kernelsBuildFailed: 'WASM_KERNELS_BUILD_FAILED',
  outOfMemory: 'WASM_OUT_OF_MEMORY',
  badLength: 'WASM_BAD_LENGTH',
  bufferTooSmall: 'WASM_BUFFER_TOO_SMALL',
  badFree: 'WASM_BAD_FREE',
  foreignPixelList: 'WASM_FOREIGN_PIXEL_LIST',
  badLabel: 'WASM_BAD_LABEL',
  badArena: 'WASM_BAD_ARENA',
} as const;

export type WasmBackendErrorCode = (typeof WasmBackendErrorCode)[keyof typeof WasmBackendErrorCode];

export class WasmBackendError extends Error {
  override readonly name = 'WasmBackendError';
  readonly code: WasmBackendErrorCode;

  constructor(code: WasmBackendErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
