import { networkInterfaces } from 'node:os';
import type { Coordinator } from '@descent/coordinator';
import { backendNames, type Checkpoint, loadCheckpoint, loadMnist, type TrainConfig } from '@descent/core';
import { busyWaitFlag, busyWaitOption } from '../busy-wait-flag.js';
import type { Command } from '../command.js';
import { dashboardFlags } from '../dashboard-flags.js';
import { UsageError } from '../errors.js';
import { exchangeFlag, exchangeOption } from '../exchange-flag.js';
import { readFlagFile } from '../flag-file.js';
import { choiceFlag, numberFlag, stringFlag } from '../flags.js';
import { LiveDashboard } from '../live-dashboard.js';
import { backendFlag, dataFlag, defaultBackend } from '../options.js';
import { RunRecorder } from '../recorder.js';
import { reliabilityFlags, reliabilityOptions } from '../reliability-flags.js';
import { dataRecord, RunDirectory, startOrDiscard } from '../run-dir.js';
import { readToken } from '../token.js';
import { rejectTrainingFlagsOnResume, trainConfigFromFlags, trainingFlags } from '../train-flags.js';

const spec = {
  name: 'coordinator',
  summary: 'serve a training run to workers on this and other machines',
  flags: {
    ...trainingFlags,
    ...dashboardFlags,
    ...reliabilityFlags,
    ...exchangeFlag,
    ...busyWaitFlag,
    host: {
      type: 'string',
      value: 'HOST',
      help: 'address to bind; anything but loopback needs a token',
      default: '127.0.0.1',
    },
    port: { type: 'string', value: 'PORT', help: 'port to listen on (0 picks a free one)', default: '7070' },
    'min-workers': { type: 'string', value: 'K', help: 'workers to wait for before step 0', default: '1' },
    'max-workers': { type: 'string', value: 'N', help: 'most workers admitted at once', default: '64' },
    'token-file': {
      type: 'string',
      value: 'FILE',
      help: 'file holding the shared secret (or set DESCENT_TOKEN)',
    },
    'tls-cert': {
      type: 'string',
      value: 'FILE',
      help: 'PEM certificate (chain): serve wss:// with --tls-key',
    },
    'tls-key': { type: 'string', value: 'FILE', help: 'PEM private key of --tls-cert' },
    backend: backendFlag,
    data: dataFlag,
    out: { type: 'string', value: 'DIR', help: 'where run directories go', default: 'runs' },
    name: { type: 'string', value: 'NAME', help: 'run directory name (default: the start time)' },
    'checkpoint-every': { type: 'string', value: 'N', help: 'steps between checkpoints', default: '1000' },
    resume: { type: 'string', value: 'RUN_DIR', help: 'continue a run from its last checkpoint' },
    quiet: { type: 'boolean', help: 'no progress bar' },
  },
} as const;

/** `--tls-cert` and `--tls-key` together, read; neither means plain ws://. */
function readTls(certFile: string | undefined, keyFile: string | undefined) {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined)
    throw new UsageError('wss:// needs both --tls-cert FILE and --tls-key FILE');
  return { cert: readFlagFile('tls-cert', certFile), key: readFlagFile('tls-key', keyFile) };
}

/** Addresses other machines can dial when the coordinator binds every interface. */
function reachableHosts(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const found = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);
  return found.length > 0 ? found : ['127.0.0.1'];
}

export const coordinatorCommand: Command = {
  spec,
  async run(values) {
    const host = stringFlag(values, 'host', spec) ?? '127.0.0.1';
    const port = numberFlag(values, 'port', spec, { integer: true, min: 0, max: 65535 }) ?? 7070;
    const minWorkers = numberFlag(values, 'min-workers', spec, { integer: true, min: 1 }) ?? 1;
    const maxWorkers = numberFlag(values, 'max-workers', spec, { integer: true, min: 1 }) ?? 64;
    const tokenFile = stringFlag(values, 'token-file', spec);
    const token = readToken(tokenFile);
    const tls = readTls(stringFlag(values, 'tls-cert', spec), stringFlag(values, 'tls-key', spec));
    const resumeDir = stringFlag(values, 'resume', spec);
    const reliability = reliabilityOptions(values, spec);
    const exchange = exchangeOption(values, spec);
    let config: TrainConfig;
    let resume: Checkpoint | undefined;
    let dir: RunDirectory;
    let backend = choiceFlag(values, 'backend', spec, backendNames) ?? defaultBackend;
    if (resumeDir !== undefined) {
      rejectTrainingFlagsOnResume(values);
      dir = RunDirectory.open(resumeDir);
      resume = loadCheckpoint(dir.checkpointDir);
      config = resume.config;
      if (values.backend !== undefined && values.backend !== resume.backend) {
        throw new UsageError(
          `--resume: the run used --backend ${resume.backend}; its weights continue only on that backend`,
        );
      }
      backend = resume.backend;
    } else {
      config = trainConfigFromFlags(values, spec);
      dir = RunDirectory.create(stringFlag(values, 'out', spec) ?? 'runs', stringFlag(values, 'name', spec));
    }
    const data = loadMnist(stringFlag(values, 'data', spec));
    if (!resume) {
      dir.writeJson('config.json', {
        config,
        backend,
        coordinator: {
          host,
          port,
          minWorkers,
          maxWorkers,
          token: token ? 'required' : 'none',
          tls: tls !== undefined,
        },
        data: dataRecord(data),
        createdAt: new Date().toISOString(),
      });
    }
    const recorder = new RunRecorder(dir, config, values.quiet === true, resume?.step ?? 0);
    const dashboard = LiveDashboard.create(values, spec, { dir, config, trainSize: data.train.count, token });
    const checkpointEvery = numberFlag(values, 'checkpoint-every', spec, { integer: true, min: 0 }) ?? 1000;
    const coordinator = await startOrDiscard(dir, resume === undefined, {
      config,
      data,
      backend,
      host,
      port,
      token,
      minWorkers,
      maxWorkers,
      observer: dashboard.observe(recorder),
      checkpointDir: dir.checkpointDir,
      checkpointEvery,
      resume,
      tls,
      ...reliability,
      exchange,
      busyWaitMs: busyWaitOption(values, spec),
    });
    await dashboard.start(coordinator);
    const tokenPart = token ? (tokenFile ? ` --token-file ${tokenFile}` : ' (with DESCENT_TOKEN set)') : '';
    const scheme = tls ? 'wss' : 'ws';
    const caPart = tls ? ' --tls-ca CA_FILE' : '';
    process.stdout.write(
      `descent coordinator: listening on ${coordinator.url}; waiting for ${minWorkers} worker(s). On each worker machine run:\n`,
    );
    for (const h of reachableHosts(host)) {
      const shown = h.includes(':') ? `[${h}]` : h;
      process.stdout.write(
        `  descent worker --connect ${scheme}://${shown}:${coordinator.port} --backend ${backend}${caPart}${tokenPart}\n`,
      );
    }
    let result: Awaited<ReturnType<Coordinator['run']>>;
    try {
      result = await coordinator.run();
    } catch (err) {
      await dashboard.fail(err);
      throw err;
    } finally {
      await coordinator.close();
    }
    const summary = await recorder.finish(result, backend);
    await dashboard.finish(summary);
    process.stdout.write(
      `final: train acc ${summary.finalTrainAcc.toFixed(4)}, test acc ${summary.finalTestAcc.toFixed(4)} after ${summary.steps} steps\n` +
        `paramsSha256 ${summary.paramsSha256}\nrun written to ${dir.path}\n`,
    );
    return 0;
  },
};
