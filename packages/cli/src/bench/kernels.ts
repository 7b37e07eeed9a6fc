import {
  type BackendName,
  createBackend,
  type DataSplits,
  gatherBatch,
  gatherBatchBytes,
  Rng,
} from '@descent/core';
import { median, timePerCall } from './stats.js';

export interface KernelRow {
  readonly backend: BackendName;
  readonly kernel: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** 2·m·n·k over the median time: the dense work, even where a backend skips zeros. */
  readonly gflops: number;
  readonly microseconds: number;
}

interface Shape {
  readonly kernel: string;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Whether A is the MNIST batch (about 80% zeros) rather than dense random values. */
  readonly aIsImages: boolean;
  /** Aᵀ·B summed per micro-shard along the pairwise tree (gemmTNTree), as training computes dW1. */
  readonly shards?: number;
  /**
   * A given as the batch's pixel bytes, as training passes the first layer: the forward lists the nonzero
   * pixels (listPixels, timed with it) and multiplies (gemmPixels), the weight gradient reuses that list.
   */
  readonly bytes?: boolean;
}

/** The products of one seed step (TwoLayerNet 784-50-10, batch 100), forward and backward. */
const SHAPES: readonly Shape[] = [
  { kernel: 'x·W1 (forward 1)', transA: false, transB: false, m: 100, n: 50, k: 784, aIsImages: true },
  {
    kernel: 'x·W1 from pixel bytes, listing them (as trained)',
    transA: false,
    transB: false,
    m: 100,
    n: 50,
    k: 784,
    aIsImages: true,
    bytes: true,
  },
  { kernel: 'xᵀ·dA1 (dW1)', transA: true, transB: false, m: 784, n: 50, k: 100, aIsImages: true },
  {
    kernel: 'xᵀ·dA1 from the listed pixels, over the 4 micro-shards (as trained)',
    transA: true,
    transB: false,
    m: 784,
    n: 50,
    k: 100,
    aIsImages: true,
    shards: 4,
    bytes: true,
  },
  { kernel: 'dA1·W1ᵀ (dx, unused)', transA: false, transB: true, m: 100, n: 784, k: 50, aIsImages: false },
  { kernel: 'h·W2 (forward 2)', transA: false, transB: false, m: 100, n: 10, k: 50, aIsImages: false },
  { kernel: 'hᵀ·dY (dW2)', transA: true, transB: false, m: 50, n: 10, k: 100, aIsImages: false },
  { kernel: 'dY·W2ᵀ (dh)', transA: false, transB: true, m: 100, n: 50, k: 10, aIsImages: false },
];

/** GFLOP/s per backend and shape; rounds alternate backends so machine noise hits them alike. */
export function benchKernels(
  backends: readonly BackendName[],
  data: DataSplits,
  rounds: number,
): KernelRow[] {
  const rng = new Rng(1);
  const setups = backends.map((name) => {
    const backend = createBackend(name);
    return {
      name,
      shapes: SHAPES.map((s) => {
        const a = backend.alloc(s.m * s.k);
        const b = backend.alloc(s.k * s.n);
        const c = backend.alloc(s.m * s.n);
        const words = backend.allocInt32(Math.ceil((s.m * s.k) / 4));
        const pixels = new Uint8Array(words.buffer, words.byteOffset, s.m * s.k);
        const rows = s.transA ? s.k : s.m;
        if (s.aIsImages) {
          const indices = Int32Array.from({ length: rows }, () => rng.nextInt(data.train.count));
          const labels = backend.allocInt32(rows);
          gatherBatch(data.train, indices, 0, rows, a, labels);
          gatherBatchBytes(data.train, indices, 0, rows, pixels, labels);
        } else {
          for (let i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        }
        for (let i = 0; i < b.length; i++) b[i] = rng.nextGaussian() * 0.01;
        const shards = s.shards;
        const bounds = Int32Array.from({ length: (shards ?? 1) + 1 }, (_, t) =>
          Math.round((t * s.k) / (shards ?? 1)),
        );
        const list = s.bytes ? backend.createPixelList(rows, s.transA ? s.m : s.k, s.n) : null;
        if (list) backend.listPixels(list, pixels, rows);
        const once = list
          ? shards === undefined
            ? () => {
                backend.listPixels(list, pixels, rows);
                backend.gemmPixels(list, b, c);
              }
            : () => backend.gemmTNTreePixels(list, b, c, bounds, shards)
          : shards === undefined
            ? () => backend.gemm(s.transA, s.transB, s.m, s.n, s.k, a, b, c, false)
            : () => backend.gemmTNTree(s.m, s.n, s.k, a, b, c, bounds, shards);
        return {
          s,
          run: (inner: number) => {
            for (let r = 0; r < inner; r++) once();
          },
        };
      }),
    };
  });
  const times = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const setup of setups) {
      for (const { s, run } of setup.shapes) {
        const key = `${setup.name}\u0000${s.kernel}`;
        const list = times.get(key) ?? [];
        list.push(timePerCall(run, 0.1));
        times.set(key, list);
      }
    }
  }
  return setups.flatMap((setup) =>
    setup.shapes.map(({ s }) => {
      const t = median(times.get(`${setup.name}\u0000${s.kernel}`) ?? []);
      return {
        backend: setup.name,
        kernel: s.kernel,
        m: s.m,
        n: s.n,
        k: s.k,
        gflops: (2 * s.m * s.n * s.k) / t / 1e9,
        microseconds: t * 1e6,
      };
    }),
  );
}
