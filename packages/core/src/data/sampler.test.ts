import { describe, expect, it } from 'vitest';
import type { SamplerKind } from '../train/config.js';
import { createSampler, restoreSampler, type SamplerState } from './sampler.js';

function draw(sampler: ReturnType<typeof createSampler>, batches: number, batch: number): number[] {
  const out = new Int32Array(batch);
  const all: number[] = [];
  for (let b = 0; b < batches; b++) {
    sampler.next(batch, out);
    all.push(...out);
  }
  return all;
}

describe.each<SamplerKind>(['replacement', 'epoch'])('%s sampler', (kind) => {
  it('draws indices inside the data set', () => {
    const indices = draw(createSampler(kind, 23, 1), 20, 7);
    expect(Math.min(...indices)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...indices)).toBeLessThan(23);
  });

  it('repeats its sequence for the same seed and changes it for another', () => {
    const a = draw(createSampler(kind, 1000, 42), 3, 50);
    expect(draw(createSampler(kind, 1000, 42), 3, 50)).toEqual(a);
    expect(draw(createSampler(kind, 1000, 43), 3, 50)).not.toEqual(a);
  });

  it('restored mid-epoch from its JSON state continues the very same sequence', () => {
    // 23 samples, batches of 7: the save point (after 5 batches = 35 draws) sits inside the second epoch.
    const straight = draw(createSampler(kind, 23, 9), 12, 7);

    const first = createSampler(kind, 23, 9);
    const head = draw(first, 5, 7);
    const saved = JSON.parse(JSON.stringify(first.state())) as SamplerState;
    const tail = draw(restoreSampler(saved, 23), 7, 7);

    expect([...head, ...tail]).toEqual(straight);
  });

  it('refuses a state saved for a data set of another size', () => {
    const state = createSampler(kind, 23, 9).state();
    expect(() => restoreSampler(state, 24)).toThrow(expect.objectContaining({ code: 'ERR_SAMPLER_STATE' }));
  });

  it('refuses a batch larger than the output buffer', () => {
    expect(() => createSampler(kind, 10, 1).next(5, new Int32Array(4))).toThrow(
      expect.objectContaining({ code: 'ERR_SAMPLER_ARGUMENT' }),
    );
  });
});

describe('epoch sampler', () => {
  it('hands out every index exactly once per epoch, batches running on across epoch ends', () => {
    // 3 epochs of 23 = 69 draws in batches of 3; 23 is not a multiple of 3, so some batches straddle epochs.
    const indices = draw(createSampler('epoch', 23, 5), 23, 3);
    for (let epoch = 0; epoch < 3; epoch++) {
      const slice = indices.slice(epoch * 23, (epoch + 1) * 23).sort((x, y) => x - y);
      expect(slice).toEqual(Array.from({ length: 23 }, (_, i) => i));
    }
    expect(indices.slice(0, 23)).not.toEqual(indices.slice(23, 46));
  });

  it('counts epochs and positions in its state', () => {
    const sampler = createSampler('epoch', 10, 5);
    draw(sampler, 4, 3);
    expect(sampler.state()).toMatchObject({ kind: 'epoch', epoch: 1, position: 2 });
  });

  it('refuses a position beyond the data set', () => {
    const state = { ...createSampler('epoch', 10, 5).state(), position: 11 } as SamplerState;
    expect(() => restoreSampler(state, 10)).toThrow(expect.objectContaining({ code: 'ERR_SAMPLER_STATE' }));
  });
});

describe('replacement sampler', () => {
  it('reaches every index of a small data set and repeats some within one epoch-worth of draws', () => {
    const indices = draw(createSampler('replacement', 8, 3), 40, 10);
    expect(new Set(indices).size).toBe(8);
    expect(new Set(indices.slice(0, 8)).size).toBeLessThan(8);
  });

  it('refuses a damaged generator state', () => {
    const state = { kind: 'replacement', datasetSize: 8, rng: [0, 0, 0, 0] };
    expect(() => restoreSampler(state, 8)).toThrow(expect.objectContaining({ code: 'ERR_SAMPLER_STATE' }));
  });
});

describe('restoreSampler', () => {
  it('refuses something that is not a saved sampler state', () => {
    for (const state of [null, 'epoch', { kind: 'bootstrap', datasetSize: 8 }]) {
      expect(() => restoreSampler(state, 8)).toThrow(expect.objectContaining({ name: 'SamplerError' }));
    }
  });
});

describe('createSampler', () => {
  it('refuses an unknown kind and an empty data set', () => {
    expect(() => createSampler('bootstrap' as SamplerKind, 10, 1)).toThrow(
      expect.objectContaining({ code: 'ERR_SAMPLER_KIND' }),
    );
    expect(() => createSampler('epoch', 0, 1)).toThrow(
      expect.objectContaining({ code: 'ERR_SAMPLER_ARGUMENT' }),
    );
  });
});
