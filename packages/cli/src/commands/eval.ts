import {
  buildNet,
  createBackend,
  loadCheckpoint,
  loadMnist,
  ShardComputer,
  shardRanges,
} from '@descent/core';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { stringFlag } from '../flags.js';
import { dataFlag } from '../options.js';

const spec = {
  name: 'eval',
  summary: 'accuracy and loss of a saved checkpoint on the test set (and the training set)',
  flags: {
    checkpoint: { type: 'string', value: 'DIR', help: 'a checkpoint directory (runs/<name>/checkpoint)' },
    data: dataFlag,
  },
} as const;

export const evalCommand: Command = {
  spec,
  async run(values) {
    const dir = stringFlag(values, 'checkpoint', spec);
    if (dir === undefined)
      throw new UsageError('descent eval needs --checkpoint DIR (for example runs/<name>/checkpoint)');
    const ckpt = loadCheckpoint(dir);
    const data = loadMnist(stringFlag(values, 'data', spec));
    const net = buildNet(ckpt.config.model, createBackend(ckpt.backend), ckpt.config.seed, 10_000);
    if (net.params.length !== ckpt.params.length) {
      throw new UsageError(
        `checkpoint ${dir} holds ${ckpt.params.length} parameters but its config builds ${net.params.length}`,
      );
    }
    net.params.set(ckpt.params);
    net.stats.set(ckpt.stats);
    const computer = new ShardComputer(
      net,
      data.train,
      ckpt.config.seed,
      shardRanges(ckpt.config.batch, ckpt.config.shards),
    );
    const test = computer.evaluate(data.test);
    const train = computer.evaluate(data.train);
    const result = {
      step: ckpt.step,
      testAcc: test.correct / test.rows,
      testLoss: test.lossSum / test.rows,
      trainAcc: train.correct / train.rows,
      trainLoss: train.lossSum / train.rows,
    };
    process.stdout.write(
      `test acc ${result.testAcc.toFixed(4)} (train acc ${result.trainAcc.toFixed(4)}) at step ${ckpt.step}\n`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
};
