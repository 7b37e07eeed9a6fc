import { describe, expect, it } from 'vitest';
import { BLOCK_ALIGN, BLOCK_SLACK, BlockAllocator } from './block-allocator.js';

describe('BlockAllocator', () => {
  it('aligns blocks, leaves slack after each and reserves memory as it goes', () => {
    const reserved: number[] = [];
    const allocator = new BlockAllocator(100, (end) => reserved.push(end));
    const a = allocator.take(4);
    const b = allocator.take(200);
    expect(a % BLOCK_ALIGN).toBe(0);
    expect(a).toBeGreaterThanOrEqual(100);
    expect(b).toBeGreaterThanOrEqual(a + 4 + BLOCK_SLACK);
    expect(b % BLOCK_ALIGN).toBe(0);
    expect(allocator.capacity(b)).toBeGreaterThanOrEqual(200);
    expect(reserved.at(-1)).toBe(allocator.end);
  });

  it('reuses a freed block of the same size class, last freed first', () => {
    const allocator = new BlockAllocator(0, () => {});
    const a = allocator.take(1000);
    const b = allocator.take(1000);
    allocator.take(8);
    allocator.release(a);
    allocator.release(b);
    expect(allocator.take(1000)).toBe(b);
    expect(allocator.take(1000)).toBe(a);
    expect(allocator.take(1000)).toBeGreaterThan(b);
    expect(allocator.liveBlocks).toBe(4);
  });

  it('refuses to release what is not a live block', () => {
    const allocator = new BlockAllocator(0, () => {});
    const a = allocator.take(10);
    expect(() => allocator.release(a + 4)).toThrow(expect.objectContaining({ code: 'WASM_BAD_FREE' }));
    allocator.release(a);
    expect(() => allocator.release(a)).toThrow(expect.objectContaining({ code: 'WASM_BAD_FREE' }));
  });

  it('passes on a failure to reserve and hands out nothing', () => {
    const allocator = new BlockAllocator(0, (end) => {
      if (end > 4096) throw new Error('full');
    });
    expect(() => allocator.take(5000)).toThrow('full');
    expect(allocator.liveBlocks).toBe(0);
    expect(allocator.end).toBe(0);
  });
});
