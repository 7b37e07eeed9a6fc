import { describe, expect, it } from 'vitest';
import { pairwiseSplit, pairwiseSum } from '../tensor/pairwise.js';
import { isTreeNode, treeNodes } from './shard-tree.js';

describe('the pairwise shard tree', () => {
  it('splits a run at the largest power of two below its length', () => {
    expect([2, 3, 4, 5, 8, 9, 11, 16, 17].map(pairwiseSplit)).toEqual([1, 2, 2, 4, 4, 8, 8, 8, 16]);
  });

  it('adds values in tree order, not left to right', () => {
    // Left to right, 1e16 + 1 + 1 + 1 loses every 1; the tree adds (1e16 + 1) + (1 + 1).
    expect(pairwiseSum([1e16, 1, 1, 1], 0, 4)).toBe(1e16 + 1 + 2);
    expect(pairwiseSum([1, 2, 3], 0, 3)).toBe(6);
  });

  it('recognises exactly the nodes of the tree', () => {
    const nodes = (shards: number) => {
      const out: string[] = [];
      for (let f = 0; f < shards; f++)
        for (let e = f + 1; e <= shards; e++) if (isTreeNode(f, e, shards)) out.push(`${f}-${e}`);
      return out.sort();
    };
    expect(nodes(4)).toEqual(['0-1', '0-2', '0-4', '1-2', '2-3', '2-4', '3-4']);
    expect(nodes(5)).toEqual(['0-1', '0-2', '0-4', '0-5', '1-2', '2-3', '2-4', '3-4', '4-5']);
    expect(isTreeNode(8, 11, 11)).toBe(true);
    expect(isTreeNode(8, 12, 11)).toBe(false);
    expect(isTreeNode(1, 3, 4)).toBe(false);
    expect(isTreeNode(0, 0, 4)).toBe(false);
    expect(isTreeNode(-1, 1, 4)).toBe(false);
    expect(isTreeNode(0.5, 1, 4)).toBe(false);
  });

  it('covers any run of shards with the fewest nodes', () => {
    expect(treeNodes(0, 16, 16)).toEqual([{ first: 0, end: 16 }]);
    expect(treeNodes(8, 16, 16)).toEqual([{ first: 8, end: 16 }]);
    expect(treeNodes(0, 9, 16)).toEqual([
      { first: 0, end: 8 },
      { first: 8, end: 9 },
    ]);
    expect(treeNodes(9, 16, 16)).toEqual([
      { first: 9, end: 10 },
      { first: 10, end: 12 },
      { first: 12, end: 16 },
    ]);
    for (const shards of [1, 3, 7, 10, 16]) {
      for (let f = 0; f < shards; f++) {
        for (let e = f + 1; e <= shards; e++) {
          const nodes = treeNodes(f, e, shards);
          expect(nodes[0].first).toBe(f);
          expect(nodes.at(-1)!.end).toBe(e);
          for (let i = 1; i < nodes.length; i++) expect(nodes[i].first).toBe(nodes[i - 1].end);
          for (const n of nodes) expect(isTreeNode(n.first, n.end, shards)).toBe(true);
        }
      }
    }
  });
});
