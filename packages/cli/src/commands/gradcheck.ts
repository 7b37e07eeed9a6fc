import {
  buildNet,
  createBackend,
  formatGradcheck,
  gatherRange,
  gradcheck,
  loadMnist,
  type ModelConfig,
} from '@descent/core';
import type { Command } from '../command.js';
import { numberFlag, stringFlag } from '../flags.js';
import { dataFlag } from '../options.js';

const spec = {
  name: 'gradcheck',
  summary:
    'compare backprop with the numerical gradient, per parameter tensor, for TwoLayerNet and MultiLayerNet',
  flags: {
    data: dataFlag,
    rows: {
      type: 'string',
      value: 'N',
      // The book checks 3 images; batch norm over 3 rows is so curved that central differences misjudge it.
      help: 'MNIST training images to check on',
      default: '8',
    },
    entries: {
      type: 'string',
      value: 'N',
      help: 'entries checked per tensor, drawn at random',
      default: '200',
    },
    seed: { type: 'string', value: 'N', help: 'init and sampling seed', default: '1' },
  },
} as const;

const base = {
  inputSize: 784,
  outputSize: 10,
  initStd: 0.01,
  weightDecay: 0,
  dropout: 0,
  batchNorm: false,
} as const;

/** The nets checked: the seed's, and MultiLayerNet with every option switched on in turn. */
const models: readonly { label: string; model: ModelConfig }[] = [
  {
    label: 'TwoLayerNet 784-50-10',
    model: { ...base, kind: 'two-layer', hidden: [50], activation: 'relu', init: 'std' },
  },
  {
    label: 'MultiLayerNet 784-40-30-10 sigmoid, xavier, weight decay 0.1',
    model: {
      ...base,
      kind: 'mlp',
      hidden: [40, 30],
      activation: 'sigmoid',
      init: 'xavier',
      weightDecay: 0.1,
    },
  },
  {
    label: 'MultiLayerNet 784-40-30-10 relu, he, batch norm, dropout 0.2',
    model: {
      ...base,
      kind: 'mlp',
      hidden: [40, 30],
      activation: 'relu',
      init: 'he',
      batchNorm: true,
      dropout: 0.2,
    },
  },
];

export const gradcheckCommand: Command = {
  spec,
  async run(values) {
    const rows = numberFlag(values, 'rows', spec, { integer: true, min: 2, max: 100 }) ?? 8;
    const entries = numberFlag(values, 'entries', spec, { integer: true, min: 1 }) ?? 200;
    const seed = numberFlag(values, 'seed', spec, { integer: true, min: 0 }) ?? 1;
    const data = loadMnist(stringFlag(values, 'data', spec));
    let failed = 0;
    for (const { label, model } of models) {
      const net = buildNet(model, createBackend('js'), seed, rows);
      const x = net.backend.alloc(rows * net.inputSize);
      const labels = net.backend.allocInt32(rows);
      gatherRange(data.train, 0, rows, x, labels);
      const report = gradcheck(net, x, labels, rows, { maxEntries: entries, seed });
      process.stdout.write(`${label}: ${report.ok ? 'ok' : 'FAILED'}\n${formatGradcheck(report)}\n\n`);
      if (!report.ok) failed++;
    }
    return failed === 0 ? 0 : 1;
  },
};
