import type { Backend, PixelList } from './backend.js';
import { checkSegments } from './pairwise.js';
import { checkListedRows, checkPixelListShape, checkSelectedRows } from './pixel-list.js';
import type { KernelExports } from './wasm/kernel-exports.js';
import { loadKernelBytes } from './wasm/load-kernels.js';
import { WasmBackendError, WasmBackendErrorCode } from './wasm/wasm-backend-error.js';
import { Access, PAGE_BYTES, WasmHeap } from './wasm/wasm-heap.js';
import { type WasmMemory, type WasmModule, webAssembly } from './wasm/webassembly-api.js';

export interface WasmBackendOptions {
  /** The most linear memory this backend may grow to (rounded up to 64 KiB pages). Default 1 GiB. */
  maxMemoryBytes?: number;
  /**
   * The compiled kernels to instantiate, as `compiledKernels()` gave them in another thread of this
   * process: a thread started late then runs the code that thread has already optimised.
   */
  module?: WasmModule;
  /**
   * Instantiate over another backend's memory and allocate only within this range of it (WasmBackend.lendArena),
   * for a backend in a second thread: the two then read each other's buffers in place.
   */
  arena?: WasmArena;
}

/** A pixel list of one backend, for a backend over the same memory to read (adoptPixelList). */
export interface SharedPixelList {
  readonly byteOffset: number;
  readonly ints: number;
  readonly maxRows: number;
  readonly cols: number;
  readonly n: number;
  readonly capacity: number;
  readonly rows: number;
}

/** A range of one backend's shared memory that a backend in another thread allocates in. */
export interface WasmArena {
  readonly memory: WasmMemory;
  readonly start: number;
  readonly end: number;
}

const DEFAULT_MAX_MEMORY_BYTES = 1 << 30;
const MAX_PAGES = 65536;

/** A pixel list in linear memory (layout in assembly/pixels.ts), grown when a batch has more nonzeros. */
class WasmPixelList implements PixelList {
  rows = 0;
  /** Whether its rows point into another list's entries (selectRows). */
  selected = false;
  /** Made by another backend over this memory (adoptPixelList): read here, never listed into or freed. */
  borrowed = false;
  /** The rows' spans at the start of `block` (start and end addresses of each row's entries). */
  spans: Uint32Array;

  constructor(
    readonly maxRows: number,
    readonly cols: number,
    readonly n: number,
    public capacity: number,
    public block: Int32Array,
  ) {
    this.spans = spansOf(block, maxRows);
  }

  /** Moves the list to `block`, which holds `capacity` entries. */
  move(block: Int32Array, capacity: number): void {
    this.block = block;
    this.capacity = capacity;
    this.spans = spansOf(block, this.maxRows);
  }
}

function spansOf(block: Int32Array, maxRows: number): Uint32Array {
  return new Uint32Array(block.buffer, block.byteOffset, 2 * maxRows);
}

// Compiled once per process; each backend gets its own instance and memory.
let compiled: WasmModule | undefined;

/** The kernels compiled in this thread (compiled now if no backend has been made yet), to share with others. */
export function compiledKernels(): WasmModule {
  compiled ??= new webAssembly.Module(loadKernelBytes());
  return compiled;
}

/**
 * The fast backend: WebAssembly SIMD kernels (packages/core/assembly) over buffers in the module's shared
 * linear memory. Same results as the js backend within float tolerance (float32 arithmetic throughout, where
 * the js backend forms products in double; sigmoid is within 1.5e-7 relative / 2.5 ulp of the exact value
 * over [-87, 88]); bitwise deterministic for equal inputs and shapes. gemm skips zero entries of op(A) when
 * A is mostly zeros (MNIST pixels), with bitwise the same sums as its dense path. See wasm/wasm-heap.ts for
 * how buffers and foreign arrays are handled, and wasm/load-kernels.ts for where the compiled kernels live.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  private readonly kernels: KernelExports;
  private readonly heap: WasmHeap;
  private readonly memory: WasmMemory;
  private readonly pixelLists = new WeakSet<WasmPixelList>();

  constructor(options: WasmBackendOptions = {}) {
    const { arena } = options;
    const maxPages = Math.min(
      MAX_PAGES,
      Math.ceil((options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES) / PAGE_BYTES),
    );
    const memory = arena?.memory ?? new webAssembly.Memory({ initial: 1, maximum: maxPages, shared: true });
    const instance = new webAssembly.Instance(options.module ?? compiledKernels(), { env: { memory } });
    this.kernels = instance.exports as unknown as KernelExports;
    this.memory = memory;
    if (arena === undefined) {
      this.heap = new WasmHeap(memory, this.kernels.heapBase(), maxPages * PAGE_BYTES);
      return;
    }
    if (
      arena.start < this.kernels.heapBase() ||
      arena.end < arena.start ||
      arena.end > memory.buffer.byteLength
    ) {
      throw new WasmBackendError(
        WasmBackendErrorCode.badArena,
        `arena [${arena.start}, ${arena.end}) is not a block of its ${memory.buffer.byteLength}-byte memory; take it from lendArena`,
      );
    }
    this.heap = new WasmHeap(memory, arena.start, arena.end);
  }

  /**
   * Reserves `bytes` of this backend's memory for a backend in another thread (WasmBackendOptions.arena);
   * `reclaimArena` gives them back once that backend is gone.
   */
  lendArena(bytes: number): WasmArena {
    const start = this.heap.takeBlock(bytes);
    return { memory: this.memory, start, end: start + bytes };
  }

  reclaimArena(arena: WasmArena): void {
    this.heap.releaseBlock(arena.start);
  }

  /** A view of `length` floats at `byteOffset` of this memory: a buffer a backend sharing it allocated. */
  float32At(byteOffset: number, length: number): Float32Array {
    return this.heap.float32At(byteOffset, length);
  }

  alloc(length: number): Float32Array {
    return this.heap.allocFloat32(length);
  }

  allocInt32(length: number): Int32Array {
    return this.heap.allocInt32(length);
  }

  free(buffer: Float32Array | Int32Array): void {
    this.heap.free(buffer);
  }

  /** Bytes of linear memory currently reserved. */
  get memoryBytes(): number {
    return this.heap.memoryBytes;
  }

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    accumulate: boolean,
  ): void {
    const heap = this.heap;
    try {
      const pa = heap.pointer(a, m * k, Access.read, 'gemm A');
      const pb = heap.pointer(b, k * n, Access.read, 'gemm B');
      const pc = heap.pointer(c, m * n, accumulate ? Access.readWrite : Access.write, 'gemm C');
      const scratch = heap.scratch(this.kernels.gemmScratchBytes(transA, transB, m, n, k));
      this.kernels.gemm(transA, transB, m, n, k, pa, pb, pc, accumulate, scratch);
    } finally {
      heap.settle();
    }
  }

  gemmTNTree(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    bounds: Int32Array,
    segments: number,
  ): void {
    const heap = this.heap;
    try {
      const pbounds = this.boundsPointer(bounds, segments, k, 'gemmTNTree bounds');
      const pa = heap.pointer(a, k * m, Access.read, 'gemmTNTree A');
      const pb = heap.pointer(b, k * n, Access.read, 'gemmTNTree B');
      const pc = heap.pointer(c, m * n, Access.write, 'gemmTNTree C');
      const scratch = heap.scratch(this.kernels.gemmTNTreeScratchBytes(m, n, k, segments));
      this.kernels.gemmTNTree(m, n, k, pa, pb, pc, pbounds, segments, scratch);
    } finally {
      heap.settle();
    }
  }

  createPixelList(maxRows: number, cols: number, n: number): PixelList {
    checkPixelListShape(maxRows, cols, n);
    // Room for a quarter of the pixels lit (MNIST averages a fifth); listPixels grows it for denser batches.
    const capacity = Math.ceil((maxRows * cols) / 4) + cols;
    const list = new WasmPixelList(maxRows, cols, n, capacity, this.listBlock(maxRows, capacity));
    this.pixelLists.add(list);
    return list;
  }

  /** What `adoptPixelList` in a backend over this memory needs to read `list` (a list of its own rows). */
  sharePixelList(list: PixelList): SharedPixelList {
    const own = this.ownList(list, 'sharePixelList');
    if (own.selected) throw new RangeError('sharePixelList: share a list of its own rows, not a selection');
    const { block, maxRows, cols, n, capacity, rows } = own;
    return { byteOffset: block.byteOffset, ints: block.length, maxRows, cols, n, capacity, rows };
  }

  /**
   * A list another backend over this memory made (its sharePixelList), to select rows from here; it must stay
   * unchanged while this backend reads it, which never lists into it or frees it.
   */
  adoptPixelList(shared: SharedPixelList): PixelList {
    const { byteOffset, ints, maxRows, cols, n, capacity, rows } = shared;
    checkPixelListShape(maxRows, cols, n);
    const list = new WasmPixelList(maxRows, cols, n, capacity, this.heap.int32At(byteOffset, ints));
    list.rows = rows;
    list.borrowed = true;
    this.pixelLists.add(list);
    return list;
  }

  freePixelList(list: PixelList): void {
    const own = this.ownList(list, 'freePixelList');
    if (own.borrowed) throw new RangeError('freePixelList: this list belongs to the backend that shared it');
    this.heap.releaseBlock(own.block.byteOffset);
    this.pixelLists.delete(own);
  }

  listPixels(list: PixelList, a: Uint8Array, rows: number, first = 0): void {
    const own = this.ownList(list, 'listPixels');
    if (own.borrowed) throw new RangeError('listPixels: this list belongs to the backend that shared it');
    if (own.selected) own.rows = 0;
    checkListedRows(own, a, rows, first);
    own.rows = first;
    own.selected = false;
    const heap = this.heap;
    try {
      const pa = heap.bytePointer(a, rows * own.cols, 'listPixels pixels');
      for (;;) {
        const { cols, maxRows, capacity, block } = own;
        const listed = this.kernels.listPixels(
          rows,
          cols,
          pa,
          own.n * 4,
          block.byteOffset,
          maxRows,
          capacity,
          first,
        );
        if (listed >= 0) {
          own.rows = first + rows;
          return;
        }
        // Listing stops before a row that might not fit; a list sized for every pixel always does.
        this.growList(own, Math.min(2 * capacity, maxRows * cols + cols), first);
      }
    } finally {
      heap.settle();
    }
  }

  /** Moves `list` to a block with room for `capacity` entries, keeping its rows before `keep`. */
  private growList(list: WasmPixelList, capacity: number, keep: number): void {
    const old = list.block;
    const block = this.listBlock(list.maxRows, capacity);
    block.set(old);
    list.move(block, capacity);
    // Row spans are addresses: those kept move with their entries.
    const { spans } = list;
    for (let i = 0; i < 2 * keep; i++) spans[i] += block.byteOffset - old.byteOffset;
    this.heap.releaseBlock(old.byteOffset);
  }

  selectRows(into: PixelList, from: PixelList, indices: Int32Array, rows: number): void {
    const to = this.ownList(into, 'selectRows');
    const source = this.ownList(from, 'selectRows');
    if (source.selected)
      throw new RangeError('selectRows: select from a list of its own rows, not a selection');
    checkSelectedRows(to, source, indices, rows);
    const { spans } = to;
    const sourceSpans = source.spans;
    for (let r = 0; r < rows; r++) {
      const row = 2 * indices[r];
      spans[2 * r] = sourceSpans[row];
      spans[2 * r + 1] = sourceSpans[row + 1];
    }
    to.rows = rows;
    to.selected = true;
  }

  gemmPixels(list: PixelList, b: Float32Array, c: Float32Array): void {
    const own = this.ownList(list, 'gemmPixels');
    const heap = this.heap;
    try {
      const pb = heap.pointer(b, own.cols * own.n, Access.read, 'gemmPixels B');
      const pc = heap.pointer(c, own.rows * own.n, Access.write, 'gemmPixels C');
      this.kernels.gemmPixels(own.rows, own.n, own.block.byteOffset, pb, pc);
    } finally {
      heap.settle();
    }
  }

  gemmTNTreePixels(
    list: PixelList,
    b: Float32Array,
    c: Float32Array,
    bounds: Int32Array,
    segments: number,
  ): void {
    const own = this.ownList(list, 'gemmTNTreePixels');
    const heap = this.heap;
    try {
      const pbounds = this.boundsPointer(bounds, segments, own.rows, 'gemmTNTreePixels bounds');
      const pb = heap.pointer(b, own.rows * own.n, Access.read, 'gemmTNTreePixels B');
      const pc = heap.pointer(c, own.cols * own.n, Access.write, 'gemmTNTreePixels C');
      const kernels = this.kernels;
      const scratch = heap.scratch(kernels.gemmTNTreePixelsScratchBytes(own.cols, own.n, segments));
      kernels.gemmTNTreePixels(own.cols, own.n, own.block.byteOffset, pb, pc, pbounds, segments, scratch);
    } finally {
      heap.settle();
    }
  }

  /** Not zeroed: the kernels write every byte they read, and a data set's list only touches what it fills. */
  private listBlock(maxRows: number, capacity: number): Int32Array {
    const ints = Math.ceil(this.kernels.pixelListBytes(maxRows, capacity) / 4);
    return this.heap.int32At(this.heap.takeBlock(ints * 4), ints);
  }

  private ownList(list: PixelList, what: string): WasmPixelList {
    if (!(list instanceof WasmPixelList) || !this.pixelLists.has(list)) {
      throw new WasmBackendError(
        WasmBackendErrorCode.foreignPixelList,
        `${what}: the pixel list was not made by this backend or was freed`,
      );
    }
    return list;
  }

  sumRowsTree(x: Float32Array, cols: number, out: Float32Array, bounds: Int32Array, segments: number): void {
    const heap = this.heap;
    try {
      const rows = bounds[segments];
      const pbounds = this.boundsPointer(bounds, segments, rows, 'sumRowsTree bounds');
      const px = heap.pointer(x, rows * cols, Access.read, 'sumRowsTree x');
      const po = heap.pointer(out, cols, Access.write, 'sumRowsTree out');
      const scratch = heap.scratch(this.kernels.sumRowsTreeScratchBytes(cols, segments));
      this.kernels.sumRowsTree(px, cols, po, pbounds, segments, scratch);
    } finally {
      heap.settle();
    }
  }

  /** Checks segment bounds over `rows` rows (pairwise.ts) and points the kernel at them. */
  private boundsPointer(bounds: Int32Array, segments: number, rows: number, what: string): number {
    checkSegments(bounds, segments, rows, what);
    return this.heap.pointer(bounds, segments + 1, Access.read, what);
  }

  addBias(x: Float32Array, bias: Float32Array, rows: number, cols: number): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, rows * cols, Access.readWrite, 'addBias x');
      this.kernels.addBias(px, heap.pointer(bias, cols, Access.read, 'addBias bias'), rows, cols);
    } finally {
      heap.settle();
    }
  }

  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array, accumulate: boolean): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, rows * cols, Access.read, 'sumRows x');
      const po = heap.pointer(out, cols, accumulate ? Access.readWrite : Access.write, 'sumRows out');
      this.kernels.sumRows(px, rows, cols, po, accumulate);
    } finally {
      heap.settle();
    }
  }

  relu(x: Float32Array, y: Float32Array, n: number): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, n, Access.read, 'relu x');
      this.kernels.relu(px, heap.pointer(y, n, Access.write, 'relu y'), n);
    } finally {
      heap.settle();
    }
  }

  reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, n, Access.read, 'reluBackward x');
      const pdy = heap.pointer(dy, n, Access.read, 'reluBackward dy');
      this.kernels.reluBackward(px, pdy, heap.pointer(dx, n, Access.write, 'reluBackward dx'), n);
    } finally {
      heap.settle();
    }
  }

  sigmoid(x: Float32Array, y: Float32Array, n: number): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, n, Access.read, 'sigmoid x');
      this.kernels.sigmoid(px, heap.pointer(y, n, Access.write, 'sigmoid y'), n);
    } finally {
      heap.settle();
    }
  }

  sigmoidBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    const heap = this.heap;
    try {
      const py = heap.pointer(y, n, Access.read, 'sigmoidBackward y');
      const pdy = heap.pointer(dy, n, Access.read, 'sigmoidBackward dy');
      this.kernels.sigmoidBackward(py, pdy, heap.pointer(dx, n, Access.write, 'sigmoidBackward dx'), n);
    } finally {
      heap.settle();
    }
  }

  softmaxCrossEntropy(
    logits: Float32Array,
    labels: Int32Array,
    rows: number,
    cols: number,
    probs: Float32Array,
  ): number {
    const heap = this.heap;
    try {
      const pz = heap.pointer(logits, rows * cols, Access.read, 'softmaxCrossEntropy logits');
      const pl = heap.pointer(
        checkLabels(labels, rows, cols),
        rows,
        Access.read,
        'softmaxCrossEntropy labels',
      );
      const pp = heap.pointer(probs, rows * cols, Access.write, 'softmaxCrossEntropy probs');
      return this.kernels.softmaxCrossEntropy(pz, pl, rows, cols, pp);
    } finally {
      heap.settle();
    }
  }

  softmaxCrossEntropyBackward(
    probs: Float32Array,
    labels: Int32Array,
    rows: number,
    cols: number,
    scale: number,
    dx: Float32Array,
  ): void {
    const heap = this.heap;
    try {
      const pp = heap.pointer(probs, rows * cols, Access.read, 'softmaxCrossEntropyBackward probs');
      const pl = heap.pointer(
        checkLabels(labels, rows, cols),
        rows,
        Access.read,
        'softmaxCrossEntropyBackward labels',
      );
      const pdx = heap.pointer(dx, rows * cols, Access.write, 'softmaxCrossEntropyBackward dx');
      this.kernels.softmaxCrossEntropyBackward(pp, pl, rows, cols, scale, pdx);
    } finally {
      heap.settle();
    }
  }

  countCorrect(logits: Float32Array, labels: Int32Array, rows: number, cols: number): number {
    const heap = this.heap;
    try {
      const pz = heap.pointer(logits, rows * cols, Access.read, 'countCorrect logits');
      const pl = heap.pointer(labels, rows, Access.read, 'countCorrect labels');
      return this.kernels.countCorrect(pz, pl, rows, cols);
    } finally {
      heap.settle();
    }
  }

  axpy(n: number, a: number, x: Float32Array, y: Float32Array): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, n, Access.read, 'axpy x');
      this.kernels.axpy(n, a, px, heap.pointer(y, n, Access.readWrite, 'axpy y'));
    } finally {
      heap.settle();
    }
  }

  divideAxpy(n: number, x: Float32Array, d: number, a: number, q: Float32Array, y: Float32Array): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, n, Access.read, 'divideAxpy x');
      const pq = heap.pointer(q, n, x === q ? Access.readWrite : Access.write, 'divideAxpy q');
      this.kernels.divideAxpy(n, px, d, a, pq, heap.pointer(y, n, Access.readWrite, 'divideAxpy y'));
    } finally {
      heap.settle();
    }
  }

  divide(n: number, x: Float32Array, d: number, y: Float32Array): void {
    const heap = this.heap;
    try {
      const px = heap.pointer(x, n, Access.read, 'divide x');
      this.kernels.divide(n, px, d, heap.pointer(y, n, Access.write, 'divide y'));
    } finally {
      heap.settle();
    }
  }

  unitBytes(bytes: Uint8Array, n: number, x: Float32Array): void {
    const heap = this.heap;
    try {
      const pb = heap.bytePointer(bytes, n, 'unitBytes bytes');
      this.kernels.unitBytes(pb, n, heap.pointer(x, n, Access.write, 'unitBytes x'));
    } finally {
      heap.settle();
    }
  }

  scale(n: number, a: number, x: Float32Array): void {
    const heap = this.heap;
    try {
      this.kernels.scale(n, a, heap.pointer(x, n, Access.readWrite, 'scale x'));
    } finally {
      heap.settle();
    }
  }

  sumSquares(x: Float32Array, n: number): number {
    const heap = this.heap;
    try {
      return this.kernels.sumSquares(heap.pointer(x, n, Access.read, 'sumSquares x'), n);
    } finally {
      heap.settle();
    }
  }
}

function checkLabels(labels: Int32Array, rows: number, cols: number): Int32Array {
  for (let i = 0; i < rows; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < cols)) {
      throw new WasmBackendError(
        WasmBackendErrorCode.badLabel,
        `label ${label} of row ${i} is outside [0, ${cols}); labels must be class indices`,
      );
    }
  }
  return labels;
}
