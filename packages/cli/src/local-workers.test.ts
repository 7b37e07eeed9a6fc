import { describe, expect, it } from 'vitest';
import { defaultLocalWorkers } from './local-workers.js';

describe('defaultLocalWorkers', () => {
  it('leaves one core to the coordinator and never asks for no workers', () => {
    expect(defaultLocalWorkers(1)).toBe(1);
    expect(defaultLocalWorkers(2)).toBe(1);
    expect(defaultLocalWorkers(8)).toBe(7);
  });
});
