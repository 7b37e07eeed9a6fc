import { describe, expect, it } from 'vitest';
import { baseName, WorkerBoard } from './worker-board.js';

describe('WorkerBoard', () => {
  it('shows a worker as active once ready, and lost or left when it goes', () => {
    const board = new WorkerBoard();
    board.join('a#1', 'socket');
    board.join('b#2', 'socket');
    expect(board.table().map((r) => r.state)).toEqual(['joining', 'joining']);
    board.ready('a#1');
    board.ready('b#2');
    board.gone('a#1', false);
    board.gone('b#2', true);
    expect(board.table().map((r) => r.state)).toEqual(['lost', 'left']);
  });

  it('marks a worker that comes back under the same name as rejoined', () => {
    const board = new WorkerBoard();
    board.join('gpu#1', 'socket');
    board.ready('gpu#1');
    board.gone('gpu#1', false);
    board.join('gpu#3', 'socket');
    board.ready('gpu#3');
    board.join('other#4', 'socket');
    board.ready('other#4');
    expect(board.table().map((r) => [r.name, r.state])).toEqual([
      ['gpu#1', 'lost'],
      ['gpu#3', 'rejoined'],
      ['other#4', 'active'],
    ]);
  });

  it('reports the median compute time per worker and what the coordinator probe says', () => {
    const board = new WorkerBoard();
    board.join('a#1', 'socket');
    board.ready('a#1');
    for (const ms of [3, 1, 2, 50]) board.computed({ 'a#1': ms });
    board.probe([{ name: 'a#1', address: '10.0.0.2:5555', shards: 16, lastHeardMs: 120 }]);
    expect(board.table()[0]).toMatchObject({
      address: '10.0.0.2:5555',
      shards: 16,
      lastHeardMs: 120,
      medianComputeMs: 2.5,
    });
  });

  it('strips the id the coordinator appends to a worker name', () => {
    expect(baseName('box-1#12')).toBe('box-1');
    expect(baseName('plain')).toBe('plain');
  });
});
