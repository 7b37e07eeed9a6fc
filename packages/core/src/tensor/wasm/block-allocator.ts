import { WasmBackendError, WasmBackendErrorCode } from './wasm-backend-error.js';

/** Blocks start on a cache line, which also keeps every f32x4 load of a row start aligned. */
export const BLOCK_ALIGN = 64;
/**
 * Kernels may load a whole vector at the end of a row and keep only its first lanes, so every block ends
 * with at least one vector of slack that belongs to nobody.
 */
export const BLOCK_SLACK = 16;

/**
 * Byte ranges of a linear memory, handed out from a bump pointer and recycled through exact-size free
 * lists (sizes are rounded to BLOCK_ALIGN, so a net's fixed set of buffer shapes reuses blocks exactly).
 * It only does bookkeeping; `reserve(end)` makes the memory at least `end` bytes long.
 */
export class BlockAllocator {
  private top: number;
  private readonly freeBySize = new Map<number, number[]>();
  private readonly live = new Map<number, number>();

  constructor(
    base: number,
    private readonly reserve: (end: number) => void,
  ) {
    this.top = roundUp(base, BLOCK_ALIGN);
  }

  /** Bytes a block for `payload` bytes occupies. */
  static blockSize(payload: number): number {
    return roundUp(payload + BLOCK_SLACK, BLOCK_ALIGN);
  }

  /** The offset of a block with room for `payload` bytes (contents unspecified when reused). */
  take(payload: number): number {
    const size = BlockAllocator.blockSize(payload);
    const reusable = this.freeBySize.get(size);
    let offset = reusable?.pop();
    if (offset === undefined) {
      this.reserve(this.top + size);
      offset = this.top;
      this.top += size;
    }
    this.live.set(offset, size);
    return offset;
  }

  /** Gives the block starting at `offset` back; throws if no live block starts there. */
  release(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) {
      throw new WasmBackendError(
        WasmBackendErrorCode.badFree,
        `free: no live block starts at byte ${offset}; pass the very buffer alloc returned, and free it once`,
      );
    }
    this.live.delete(offset);
    let list = this.freeBySize.get(size);
    if (list === undefined) {
      list = [];
      this.freeBySize.set(size, list);
    }
    list.push(offset);
  }

  /** The payload capacity (bytes) of the live block at `offset`, or undefined. */
  capacity(offset: number): number | undefined {
    const size = this.live.get(offset);
    return size === undefined ? undefined : size - BLOCK_SLACK;
  }

  /** One past the highest byte ever handed out. */
  get end(): number {
    return this.top;
  }

  get liveBlocks(): number {
    return this.live.size;
  }
}

function roundUp(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
