/**
 * Steps per second of the seed recipe (TwoLayerNet 784-50-10, sigmoid, batch 100, SGD lr 0.1) on MNIST with
 * the in-process link and with 1, 2 and 4 worker processes over WebSocket on this machine. Not a test.
 *
 *   node packages/coordinator/scripts/build-measure.mjs && node packages/core/node_modules/.descent-measure/measure-seed.mjs [iters] [shards]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadMnist, type TrainConfig } from '@descent/core';
import { runWorker } from '@descent/worker';
import { Coordinator } from '../src/index.js';

const [role, arg1, arg2] = process.argv.slice(2);

if (role === 'worker') {
  await runWorker({ url: arg1, name: `p${process.pid}` });
  process.exit(0);
}

const iters = Number(role ?? 500);
const shards = Number(arg1 ?? 4);
void arg2;
const data = loadMnist();
const config: TrainConfig = {
  model: {
    kind: 'two-layer',
    inputSize: 784,
    hidden: [50],
    outputSize: 10,
    activation: 'sigmoid',
    init: 'std',
    initStd: 0.01,
    weightDecay: 0,
    dropout: 0,
    batchNorm: false,
  },
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, decayRate: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  batch: 100,
  iters,
  shards,
  sampler: 'replacement',
  seed: 42,
  evalEvery: 0,
};

const self = fileURLToPath(import.meta.url);
const counts = (process.env.WORKERS ?? '0,1,2,4').split(',').map(Number);
for (const workers of counts) {
  let computeTotal = 0;
  const c = await Coordinator.start({
    config,
    data,
    minWorkers: Math.max(1, workers),
    inProcessWorkers: workers === 0 ? 1 : 0,
    evalChunkRows: 10_000,
    observer: {
      onStep: (r) => {
        computeTotal += Object.values(r.timings.computeMs).reduce((a, b) => a + b, 0);
      },
    },
  });
  const children = Array.from({ length: workers }, () => fork(self, ['worker', c.url], { stdio: 'inherit' }));
  const r = await c.run();
  await c.close();
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  const t = r.timings;
  console.log(
    `${workers === 0 ? 'in-process' : `${workers} worker(s)`}: ${r.stepsPerSecond.toFixed(1)} steps/s, ` +
      `test acc ${r.testAcc.toFixed(4)}, sha ${r.paramsSha256.slice(0, 12)}, median ms: step ${t.stepMs.median.toFixed(2)} ` +
      `wait ${t.waitMs.median.toFixed(2)} aggregate ${t.aggregateMs.median.toFixed(2)} optimizer ${t.optimizerMs.median.toFixed(2)} ` +
      `broadcast ${t.broadcastMs.median.toFixed(2)} (p95 step ${t.stepMs.p95.toFixed(2)}), ` +
      `mean compute per step ${(computeTotal / r.stepsThisRun).toFixed(2)} ms`,
  );
}
