import { pairwiseSplit } from '../tensor/pairwise.js';

/**
 * A node of the pairwise tree over a step's micro-shards: shards [first, end). The tree splits a run of
 * shards at pairwiseSplit (tensor/pairwise.ts) from the root [0, shards) down to single shards. Work is
 * handed out, computed and summed in nodes, so a node's sum has the same bits wherever it is computed.
 */
export interface ShardNode {
  readonly first: number;
  readonly end: number;
}

/** Whether [first, end) is a node of the tree over `shards` shards. */
export function isTreeNode(first: number, end: number, shards: number): boolean {
  if (
    !Number.isSafeInteger(first) ||
    !Number.isSafeInteger(end) ||
    first < 0 ||
    end > shards ||
    first >= end
  ) {
    return false;
  }
  let f = 0;
  let count = shards;
  while (count > 1 && !(f === first && f + count === end)) {
    const split = pairwiseSplit(count);
    if (first < f + split) count = split;
    else {
      f += split;
      count -= split;
    }
  }
  return f === first && f + count === end;
}

/** The fewest tree nodes that together make up shards [first, end), in order. */
export function treeNodes(first: number, end: number, shards: number): ShardNode[] {
  const out: ShardNode[] = [];
  const visit = (f: number, count: number): void => {
    if (f >= end || f + count <= first) return;
    if (first <= f && f + count <= end) {
      out.push({ first: f, end: f + count });
      return;
    }
    const split = pairwiseSplit(count);
    visit(f, split);
    visit(f + split, count - split);
  };
  if (first < end) visit(0, shards);
  return out;
}
