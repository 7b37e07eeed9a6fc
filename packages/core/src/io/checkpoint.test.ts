import {
  copyFileSync,
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../data/test-idx.js';
import type { TrainConfig } from '../train/config.js';
import { CHECKPOINT_FILES, type Checkpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { IoError } from './io-error.js';

const config: TrainConfig = {
  model: {
    kind: 'mlp',
    inputSize: 3,
    hidden: [2],
    outputSize: 2,
    activation: 'relu',
    init: 'he',
    initStd: 0.01,
    weightDecay: 0,
    dropout: 0,
    batchNorm: true,
  },
  optimizer: { name: 'adam', lr: 0.001, momentum: 0.9, decayRate: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  batch: 4,
  iters: 10,
  shards: 2,
  sampler: 'epoch',
  seed: 42,
  evalEvery: 5,
};

function checkpoint(step: number): Checkpoint {
  // Bit patterns that a lossy path would change: -0, a subnormal, a NaN payload, values off by one ulp.
  const params = new Float32Array(14);
  const words = new Uint32Array(params.buffer);
  for (let i = 0; i < words.length; i++) words[i] = Math.imul(i + step, 0x9e3779b1) >>> 0;
  params[0] = -0;
  params[1] = 1e-45;
  words[2] = 0x7fc00abc;
  return {
    step,
    config,
    backend: 'js',
    specs: [
      { name: 'W1', shape: [3, 2], offset: 0, length: 6, decay: true },
      { name: 'b1', shape: [2], offset: 6, length: 2, decay: false },
      { name: 'W2', shape: [2, 2], offset: 8, length: 4, decay: true },
      { name: 'b2', shape: [2], offset: 12, length: 2, decay: false },
    ],
    params,
    stats: Float32Array.from([0.5, 0.25, step, 2]),
    optimizer: {
      scalars: { t: step, beta1Power: 0.9 ** step },
      buffers: { m: params.map((v) => v / 3), v: params.map((v) => v * v) },
    },
    sampler: { kind: 'epoch', epoch: 1, position: 3, rng: [1, 2, 3, 4], order: [2, 0, 1] },
    extra: { wallSeconds: 12.5 },
  };
}

function bits(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

function errorOf(fn: () => unknown): IoError {
  try {
    fn();
  } catch (error) {
    if (error instanceof IoError) return error;
    throw error;
  }
  throw new Error('expected an IoError');
}

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips every field, parameters and buffers bit for bit', () => {
    const dir = join(tempDir(), 'ckpt');
    const saved = checkpoint(3);
    saveCheckpoint(dir, saved);
    const loaded = loadCheckpoint(dir);
    expect(bits(loaded.params)).toBe(bits(saved.params));
    expect(bits(loaded.stats)).toBe(bits(saved.stats));
    expect(bits(loaded.optimizer.buffers.m as Float32Array)).toBe(
      bits(saved.optimizer.buffers.m as Float32Array),
    );
    expect(bits(loaded.optimizer.buffers.v as Float32Array)).toBe(
      bits(saved.optimizer.buffers.v as Float32Array),
    );
    expect(loaded.optimizer.scalars).toEqual(saved.optimizer.scalars);
    expect({ ...loaded, params: 0, stats: 0, optimizer: 0 }).toEqual({
      ...saved,
      params: 0,
      stats: 0,
      optimizer: 0,
    });
    expect(readdirSync(dir).sort()).toEqual(['model.safetensors', 'optimizer.safetensors', 'state.json']);
  });

  it('keeps no extra field when there was none, and handles a net without stats or optimizer buffers', () => {
    const dir = tempDir();
    const { extra: _, ...bare } = checkpoint(1);
    saveCheckpoint(dir, { ...bare, stats: new Float32Array(0), optimizer: { scalars: {}, buffers: {} } });
    const loaded = loadCheckpoint(dir);
    expect('extra' in loaded).toBe(false);
    expect(loaded.stats.length).toBe(0);
    expect(loaded.optimizer.buffers).toEqual({});
  });

  it('replaces an older checkpoint in the same directory', () => {
    const dir = tempDir();
    saveCheckpoint(dir, checkpoint(1));
    saveCheckpoint(dir, checkpoint(2));
    expect(loadCheckpoint(dir).step).toBe(2);
    expect(bits(loadCheckpoint(dir).params)).toBe(bits(checkpoint(2).params));
  });

  it('refuses a file with one corrupted byte, naming it', () => {
    const dir = tempDir();
    saveCheckpoint(dir, checkpoint(3));
    const path = join(dir, CHECKPOINT_FILES.optimizer);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] ^= 0x40;
    writeFileSync(path, bytes);
    const error = errorOf(() => loadCheckpoint(dir));
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.file).toBe(path);
    expect(error.message).toMatch(/optimizer\.safetensors .*SHA-256 differs/);
    expect(readFileSync(path)).toEqual(bytes);
  });

  it('refuses a truncated file with its expected and actual size', () => {
    const dir = tempDir();
    saveCheckpoint(dir, checkpoint(3));
    const path = join(dir, CHECKPOINT_FILES.model);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, 100));
    expect(errorOf(() => loadCheckpoint(dir)).message).toMatch(
      new RegExp(`model\\.safetensors .*100 bytes, state\\.json records ${bytes.length}`),
    );
  });

  it('refuses a missing data file and reports a missing checkpoint', () => {
    const dir = tempDir();
    expect(errorOf(() => loadCheckpoint(dir)).code).toBe('CHECKPOINT_MISSING');
    saveCheckpoint(dir, checkpoint(3));
    rmSync(join(dir, CHECKPOINT_FILES.model));
    expect(errorOf(() => loadCheckpoint(dir)).message).toMatch(/model\.safetensors .*missing/);
  });

  it('refuses a truncated state.json', () => {
    const dir = tempDir();
    saveCheckpoint(dir, checkpoint(3));
    const path = join(dir, CHECKPOINT_FILES.state);
    writeFileSync(path, readFileSync(path).subarray(0, 50));
    expect(errorOf(() => loadCheckpoint(dir)).message).toMatch(/state\.json .*not valid JSON/);
  });

  it('refuses a state.json edited into other valid JSON, such as a changed step', () => {
    const dir = tempDir();
    saveCheckpoint(dir, checkpoint(3));
    const path = join(dir, CHECKPOINT_FILES.state);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"step": 3', '"step": 4'));
    expect(errorOf(() => loadCheckpoint(dir)).message).toMatch(/state\.json .*own checksum does not match/);
  });

  it('keeps the previous checkpoint loadable when a save dies leaving temp files, and cleans them next time', () => {
    const dir = tempDir();
    saveCheckpoint(dir, checkpoint(1));
    // A save that died before any rename: its fsynced temp files are all that is left of it.
    writeFileSync(join(dir, `${CHECKPOINT_FILES.model}.tmp-dead01`), 'partial');
    writeFileSync(join(dir, `${CHECKPOINT_FILES.state}.tmp-dead01`), '{"step": 2');
    expect(loadCheckpoint(dir).step).toBe(1);
    saveCheckpoint(dir, checkpoint(2));
    expect(readdirSync(dir).sort()).toEqual(['model.safetensors', 'optimizer.safetensors', 'state.json']);
  });

  it('keeps the previous checkpoint loadable when a save dies after replacing the data files but not state.json', () => {
    const dir = tempDir();
    const next = tempDir();
    saveCheckpoint(dir, checkpoint(1));
    saveCheckpoint(next, checkpoint(2));
    // Re-enact the save of step 2 up to its last rename: old data kept as *.prev, new data in place.
    for (const name of [CHECKPOINT_FILES.model, CHECKPOINT_FILES.optimizer]) {
      linkSync(join(dir, name), join(dir, `${name}.prev`));
      // Renamed into place, as a save does: copying onto the name would write through the hard link.
      copyFileSync(join(next, name), join(dir, `${name}.new`));
      renameSync(join(dir, `${name}.new`), join(dir, name));
    }
    const loaded = loadCheckpoint(dir);
    expect(loaded.step).toBe(1);
    expect(bits(loaded.params)).toBe(bits(checkpoint(1).params));
    saveCheckpoint(dir, checkpoint(3));
    expect(existsSync(join(dir, `${CHECKPOINT_FILES.model}.prev`))).toBe(false);
    expect(loadCheckpoint(dir).step).toBe(3);
  });

  it('refuses to save specs that do not tile the parameter buffer, or scalars JSON cannot hold', () => {
    const good = checkpoint(1);
    const gap = { ...good, specs: good.specs.slice(1) };
    expect(errorOf(() => saveCheckpoint(tempDir(), gap)).code).toBe('CHECKPOINT_INVALID');
    const nan = { ...good, optimizer: { ...good.optimizer, scalars: { t: Number.NaN } } };
    expect(errorOf(() => saveCheckpoint(tempDir(), nan)).message).toMatch(/scalar t is NaN/);
  });
});
