import { describe, expect, it } from 'vitest';
import { TwoLayerNet } from '../nets/two-layer-net.js';
import { expectBitwiseEqual } from '../optim/test-close.js';
import type { Backend } from '../tensor/backend.js';
import { JsBackend } from '../tensor/js-backend.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { StepAccumulator } from './accumulator.js';
import { ShardComputer } from './shard-computer.js';
import { treeNodes } from './shard-tree.js';
import { shardRanges } from './shards.js';
import { imageSet } from './test-fixtures.js';

const backends: [string, () => Backend][] = [
  ['js', () => new JsBackend()],
  ['wasm', () => new WasmBackend()],
];

describe('a node of micro-shards', () => {
  for (const [name, backend] of backends) {
    for (const [what, density, batch, shards] of [
      ['sparse pixels, 100 rows in 16 shards', 0.2, 100, 16],
      ['sparse pixels, 90 rows in 11 shards', 0.2, 90, 11],
      ['dense pixels, 64 rows in 6 shards', 0.9, 64, 6],
    ] as const) {
      it(`in one pass equals its shards one by one added along the tree, bitwise (${name}, ${what})`, () => {
        const data = imageSet(300, 784, density, 3);
        const ranges = shardRanges(batch, shards);
        const net = () =>
          new TwoLayerNet(backend(), {
            inputSize: 784,
            hiddenSize: 50,
            outputSize: 10,
            seed: 7,
            maxRows: batch,
          });
        const fused = new ShardComputer(net(), data, 1, ranges);
        const byShard = new ShardComputer(net(), data, 1, ranges);
        const indices = new Int32Array(batch);
        for (let i = 0; i < batch; i++) indices[i] = (i * 37 + 11) % data.count;

        const whole = fused.computeNode(3, 0, shards, indices);
        const sum = new StepAccumulator(fused.net.params.length, 0, shards);
        let correct = 0;
        for (const r of ranges) {
          const out = byShard.computeGradient(3, r.shard, indices.subarray(r.start, r.end));
          sum.accept(r.shard, r.shard + 1, out.grad, out.stats, out.lossSum, out.correct, out.rows);
          correct += out.correct;
        }
        const total = sum.result();
        expectBitwiseEqual(whole.grad, total.gradSum);
        expect(whole.lossSum).toBe(total.lossSum);
        expect(whole.correct).toBe(correct);
        expect(whole.rows).toBe(batch);

        // Any grouping into tree nodes, summed by the accumulator, gives those bits again.
        const grouped = new StepAccumulator(fused.net.params.length, 0, shards);
        const cut = Math.ceil(shards / 3);
        for (const [from, to] of [
          [0, cut],
          [cut, shards],
        ]) {
          for (const node of treeNodes(from, to, shards)) {
            const start = ranges[node.first].start;
            const end = ranges[node.end - 1].end;
            const out = byShard.computeNode(3, node.first, node.end, indices.subarray(start, end));
            grouped.accept(node.first, node.end, out.grad, out.stats, out.lossSum, out.correct, out.rows);
          }
        }
        expectBitwiseEqual(grouped.result().gradSum, total.gradSum);
        expect(grouped.result().lossSum).toBe(total.lossSum);
      });
    }
  }
});
