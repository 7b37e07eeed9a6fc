import { BlockAllocator } from './block-allocator.js';
import { WasmBackendError, WasmBackendErrorCode } from './wasm-backend-error.js';
import type { WasmMemory } from './webassembly-api.js';

export const PAGE_BYTES = 65536;

/** How a kernel uses a buffer argument, which decides what a foreign buffer's copy needs. */
export const Access = { read: 0, write: 1, readWrite: 2 } as const;
export type Access = (typeof Access)[keyof typeof Access];

type View = Float32Array | Int32Array;
type AnyView = View | Uint8Array;

/**
 * The backend's linear memory and its buffers. The memory is shared (a SharedArrayBuffer): growing it never
 * detaches the views handed out earlier, which each keep pointing at their bytes for the backend's lifetime.
 *
 * Kernels take byte offsets. A view of this memory (any alloc'd buffer or a subarray of one) is passed as
 * is; a foreign array (a plain Float32Array/Int32Array) is copied into a temporary block before the kernel
 * and, if the kernel writes it, copied back after — correct, but a copy per call, so hot paths should use
 * `alloc`. A view shorter than the kernel needs is refused before any kernel touches memory.
 */
export class WasmHeap {
  private current: ArrayBufferLike;
  /** Every SharedArrayBuffer object this memory has had: each growth yields a new one. */
  private readonly generations: ArrayBufferLike[] = [];
  private readonly allocator: BlockAllocator;
  private scratchOffset = -1;
  private scratchCapacity = 0;
  // Foreign arguments staged for the current call; parallel arrays so staging allocates nothing.
  private staged = 0;
  private readonly stagedViews: (AnyView | null)[] = [null, null, null, null];
  private readonly stagedOffsets = [0, 0, 0, 0];
  private readonly stagedLengths = [0, 0, 0, 0];
  private readonly stagedWrites = [false, false, false, false];

  constructor(
    private readonly memory: WasmMemory,
    base: number,
    private readonly maxBytes: number,
  ) {
    this.current = memory.buffer;
    this.generations.push(this.current);
    this.allocator = new BlockAllocator(base, (end) => this.reserve(end));
  }

  allocFloat32(length: number): Float32Array {
    const offset = this.allocator.take(checkLength(length) * 4);
    const view = new Float32Array(this.current, offset, length);
    view.fill(0);
    return view;
  }

  allocInt32(length: number): Int32Array {
    const offset = this.allocator.take(checkLength(length) * 4);
    const view = new Int32Array(this.current, offset, length);
    view.fill(0);
    return view;
  }

  /** The offset of a block of `bytes` nobody else allocates in, its contents unspecified. */
  takeBlock(bytes: number): number {
    return this.allocator.take(checkLength(bytes));
  }

  releaseBlock(offset: number): void {
    this.allocator.release(offset);
  }

  /** As float32At, for 32-bit integers. */
  int32At(byteOffset: number, length: number): Int32Array {
    const floats = this.float32At(byteOffset, length);
    return new Int32Array(floats.buffer, floats.byteOffset, length);
  }

  /** A view of `length` floats at `byteOffset`, which must lie in the memory as this heap sees it. */
  float32At(byteOffset: number, length: number): Float32Array {
    if (
      !Number.isInteger(byteOffset) ||
      byteOffset % 4 !== 0 ||
      checkLength(length) * 4 + byteOffset > this.current.byteLength
    ) {
      throw new WasmBackendError(
        WasmBackendErrorCode.badLength,
        `${length} floats at byte ${byteOffset} do not lie in this ${this.current.byteLength}-byte memory`,
      );
    }
    return new Float32Array(this.current, byteOffset, length);
  }

  free(view: View): void {
    if (!this.owns(view)) {
      throw new WasmBackendError(
        WasmBackendErrorCode.badFree,
        'free: this buffer was not allocated by this backend',
      );
    }
    this.allocator.release(view.byteOffset);
  }

  /** True when `view` lies in this memory. */
  owns(view: AnyView): boolean {
    const buffer = view.buffer;
    if (buffer === this.current) return true;
    const generations = this.generations;
    for (let i = 0; i < generations.length; i++) if (generations[i] === buffer) return true;
    return false;
  }

  /** The byte offset of `view`'s first `length` elements as a kernel sees them (staging a foreign view). */
  pointer(view: View, length: number, access: Access, what: string): number {
    if (view.length < length) {
      throw new WasmBackendError(
        WasmBackendErrorCode.bufferTooSmall,
        `${what} needs ${length} elements but the buffer holds ${view.length}; check the shapes passed`,
      );
    }
    if (this.owns(view)) return view.byteOffset;
    return this.stage(view, length, access);
  }

  /** As `pointer`, for `length` bytes a kernel only reads. */
  bytePointer(view: Uint8Array, length: number, what: string): number {
    if (view.length < length) {
      throw new WasmBackendError(
        WasmBackendErrorCode.bufferTooSmall,
        `${what} needs ${length} bytes but the buffer holds ${view.length}; check the shapes passed`,
      );
    }
    if (this.owns(view)) return view.byteOffset;
    const offset = this.allocator.take(Math.ceil(length / 4) * 4);
    new Uint8Array(this.current, offset, length).set(view.subarray(0, length));
    const slot = this.staged++;
    this.stagedViews[slot] = view;
    this.stagedOffsets[slot] = offset;
    this.stagedLengths[slot] = length;
    this.stagedWrites[slot] = false;
    return offset;
  }

  /** A kernel-private block of at least `bytes`, valid until the next call of this method. */
  scratch(bytes: number): number {
    if (bytes > this.scratchCapacity) {
      if (this.scratchOffset >= 0) this.allocator.release(this.scratchOffset);
      const capacity = Math.max(bytes, 2 * this.scratchCapacity);
      this.scratchOffset = this.allocator.take(capacity);
      this.scratchCapacity = capacity;
    }
    return this.scratchOffset;
  }

  /** After a kernel: copies staged outputs back into their foreign arrays and frees the copies. */
  settle(): void {
    for (let i = 0; i < this.staged; i++) {
      const view = this.stagedViews[i]!;
      const offset = this.stagedOffsets[i];
      if (this.stagedWrites[i] && !(view instanceof Uint8Array))
        view.set(this.viewLike(view, offset, this.stagedLengths[i]));
      this.allocator.release(offset);
      this.stagedViews[i] = null;
    }
    this.staged = 0;
  }

  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  get liveBlocks(): number {
    return this.allocator.liveBlocks;
  }

  private stage(view: View, length: number, access: Access): number {
    const offset = this.allocator.take(length * 4);
    if (access !== Access.write) this.viewLike(view, offset, length).set(view.subarray(0, length));
    const slot = this.staged++;
    this.stagedViews[slot] = view;
    this.stagedOffsets[slot] = offset;
    this.stagedLengths[slot] = length;
    this.stagedWrites[slot] = access !== Access.read;
    return offset;
  }

  private viewLike(view: View, offset: number, length: number): View {
    return view instanceof Float32Array
      ? new Float32Array(this.current, offset, length)
      : new Int32Array(this.current, offset, length);
  }

  private reserve(end: number): void {
    const have = this.current.byteLength;
    if (end <= have) return;
    if (end > this.maxBytes) {
      throw new WasmBackendError(
        WasmBackendErrorCode.outOfMemory,
        `wasm backend memory would need ${end} bytes, over its maximum of ${this.maxBytes}; free unused ` +
          'buffers or create the backend with a larger maxMemoryBytes',
      );
    }
    // Grow at least geometrically so a run of small allocations does not grow page by page.
    const wanted = Math.min(Math.max(end, 2 * have), this.maxBytes);
    this.memory.grow(Math.ceil((wanted - have) / PAGE_BYTES));
    this.current = this.memory.buffer;
    this.generations.push(this.current);
  }
}

function checkLength(length: number): number {
  if (!Number.isInteger(length) || length < 0) {
    throw new WasmBackendError(
      WasmBackendErrorCode.badLength,
      `alloc needs an integer length ≥ 0, got ${length}`,
    );
  }
  return length;
}
