#!/usr/bin/env node
// Two builds of @descent/core side by side in one process: a LocalTrainer of each on the seed recipe (no
// evaluation), warmed up, then alternating rounds timed. Prints each build's median steps/s, the median of the
// per-round ratios B/A, and each trainer's parameter hash (equal when the builds compute the same bits).
//
//   node bench/side-by-side.mjs A B [--threads A,B] [--rounds N] [--steps N] [--no-index]
//
// --no-index: both trainers list each batch's pixels every step, as workers and the coordinator do, instead of
// selecting its rows from the training set listed once.
//
// A and B are the `dist` folders of two core builds, e.g. this checkout's packages/core/dist and that of a
// `git worktree` of another commit after `pnpm install && pnpm build` there. Build this checkout first: the
// recipe and MNIST come from it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const usage = 'usage: node bench/side-by-side.mjs A B [--threads A,B] [--rounds N] [--steps N] [--no-index]';
const fail = (message) => {
  process.stderr.write(`side-by-side: ${message}\n${usage}\n`);
  process.exit(2);
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      threads: { type: 'string', default: '1,1' },
      rounds: { type: 'string', default: '12' },
      steps: { type: 'string', default: '1000' },
      'no-index': { type: 'boolean', default: false },
    },
  });
} catch (error) {
  fail(error.message);
}
const { values, positionals } = parsed;
if (positionals.length !== 2) fail('give the dist folders of the two builds');
const count = (name, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number ≥ 1, got '${text}'`);
  return n;
};
const rounds = count('rounds', values.rounds);
const steps = count('steps', values.steps);
const threads = values.threads.split(',').map(Number);
if (threads.length !== 2 || threads.some((t) => t !== 1 && t !== 2)) {
  fail(`--threads takes two counts of 1 or 2, as 1,2; got '${values.threads}'`);
}
const dists = positionals.map((dir) => resolve(dir, 'index.js'));
for (const file of dists) if (!existsSync(file)) fail(`${file} does not exist: build that checkout first`);

const here = new URL('../packages/', import.meta.url);
const ownCore = new URL('core/dist/index.js', here);
const ownFlags = new URL('cli/dist/train-flags.js', here);
if (!existsSync(ownCore) || !existsSync(ownFlags)) fail('this checkout is not built: run pnpm build');
const { loadMnist } = await import(ownCore.href);
const { trainConfigFromFlags, trainingFlags } = await import(ownFlags.href);
const config = {
  ...trainConfigFromFlags({}, { name: 'bench', summary: '', flags: trainingFlags }),
  evalEvery: 0,
};
const data = loadMnist();

const trainers = [];
for (const [k, file] of dists.entries()) {
  const core = await import(file);
  const options = { threads: threads[k], indexPixels: !values['no-index'] };
  trainers.push(core.createLocalTrainer(config, data, core.createBackend('wasm'), options));
}
for (const trainer of trainers) trainer.run(3000);

const rates = [[], []];
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const seconds = trainers.map((trainer) => {
    const start = performance.now();
    trainer.run(steps);
    return (performance.now() - start) / 1000;
  });
  for (const k of [0, 1]) rates[k].push(steps / seconds[k]);
  ratios.push(seconds[0] / seconds[1]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const hash = ({ net: { params } }) =>
  createHash('sha256')
    .update(new Uint8Array(params.buffer, params.byteOffset, params.byteLength))
    .digest('hex');
console.log(`A (${threads[0]} thread${threads[0] > 1 ? 's' : ''}): ${median(rates[0]).toFixed(0)} steps/s`);
console.log(`B (${threads[1]} thread${threads[1] > 1 ? 's' : ''}): ${median(rates[1]).toFixed(0)} steps/s`);
console.log(`B / A: ${median(ratios).toFixed(3)} (rounds ${ratios.map((x) => x.toFixed(2)).join(' ')})`);
console.log(`paramsSha256: A ${hash(trainers[0]).slice(0, 8)}…, B ${hash(trainers[1]).slice(0, 8)}…`);
for (const trainer of trainers) trainer.dispose();
