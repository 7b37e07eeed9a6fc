import type { Coordinator } from '@descent/coordinator';
import {
  type BackendName,
  backendNames,
  type Checkpoint,
  loadCheckpoint,
  loadMnist,
  type TrainConfig,
} from '@descent/core';
import { busyWaitFlag, busyWaitOption } from '../busy-wait-flag.js';
import type { Command } from '../command.js';
import { dashboardFlags } from '../dashboard-flags.js';
import { RunError, UsageError } from '../errors.js';
import { exchangeFlag, exchangeOption } from '../exchange-flag.js';
import { choiceFlag, numberFlag, stringFlag } from '../flags.js';
import { defaultLocalWorkers, LocalWorkers } from '../local-workers.js';
import { backendFlag, dataFlag, defaultBackend } from '../options.js';
import { RunRecorder } from '../recorder.js';
import { reliabilityFlags, reliabilityOptions } from '../reliability-flags.js';
import { dataRecord, RunDirectory, startOrDiscard } from '../run-dir.js';
import { readToken } from '../token.js';
import { rejectTrainingFlagsOnResume, trainConfigFromFlags, trainingFlags } from '../train-flags.js';

const spec = {
  name: 'train',
  summary: 'train on MNIST: the seed recipe by default, with local worker processes',
  flags: {
    ...trainingFlags,
    ...dashboardFlags,
    ...reliabilityFlags,
    ...exchangeFlag,
    ...busyWaitFlag,
    workers: {
      type: 'string',
      value: 'N',
      help: 'local worker processes; 0 trains in this process',
      default: String(defaultLocalWorkers()),
    },
    backend: backendFlag,
    data: dataFlag,
    'token-file': {
      type: 'string',
      value: 'FILE',
      help: 'file holding the secret the dashboard asks for off loopback (or set DESCENT_TOKEN)',
    },
    out: { type: 'string', value: 'DIR', help: 'where run directories go', default: 'runs' },
    name: { type: 'string', value: 'NAME', help: 'run directory name (default: the start time)' },
    'checkpoint-every': {
      type: 'string',
      value: 'N',
      help: 'steps between checkpoints (one is always written at the end)',
      default: '1000',
    },
    resume: {
      type: 'string',
      value: 'RUN_DIR',
      help: 'continue a run from its last checkpoint (its config is reused)',
    },
    quiet: { type: 'boolean', help: 'no progress bar; only the per-epoch lines and the summary' },
  },
} as const;

export const trainCommand: Command = {
  spec,
  async run(values) {
    const workers =
      numberFlag(values, 'workers', spec, { integer: true, min: 0, max: 256 }) ?? defaultLocalWorkers();
    const dataDir = stringFlag(values, 'data', spec);
    const checkpointEvery = numberFlag(values, 'checkpoint-every', spec, { integer: true, min: 0 }) ?? 1000;
    const resumeDir = stringFlag(values, 'resume', spec);
    const reliability = reliabilityOptions(values, spec);
    const exchange = exchangeOption(values, spec);
    const busyWaitMs = busyWaitOption(values, spec);

    let config: TrainConfig;
    let backend: BackendName;
    let resume: Checkpoint | undefined;
    let dir: RunDirectory;
    if (resumeDir !== undefined) {
      rejectTrainingFlagsOnResume(values);
      dir = RunDirectory.open(resumeDir);
      resume = loadCheckpoint(dir.checkpointDir);
      config = resume.config;
      backend = resume.backend;
      if (values.backend !== undefined && values.backend !== backend) {
        throw new UsageError(
          `--resume: the run used --backend ${backend}; its weights continue only on that backend`,
        );
      }
    } else {
      config = trainConfigFromFlags(values, spec);
      backend = choiceFlag(values, 'backend', spec, backendNames) ?? defaultBackend;
      dir = RunDirectory.create(stringFlag(values, 'out', spec) ?? 'runs', stringFlag(values, 'name', spec));
    }

    /** Everything before the first step: the data, the run's files, the dashboard, a listening coordinator. */
    const startRun = async () => {
      const data = loadMnist(dataDir);
      if (!resume) {
        dir.writeJson('config.json', {
          config,
          backend,
          workers,
          data: dataRecord(data),
          createdAt: new Date().toISOString(),
        });
      }
      process.stderr.write(
        `descent: ${resume ? `resuming ${dir.path} at step ${resume.step}` : `run ${dir.path}`} ` +
          `(${workers === 0 ? 'in this process' : `${workers} local worker${workers === 1 ? '' : 's'}`}, backend ${backend})\n`,
      );

      const quiet = values.quiet === true;
      const recorder = new RunRecorder(dir, config, quiet, resume?.step ?? 0);
      // Loaded after the workers were spawned, as the coordinator is (startOrDiscard).
      const { LiveDashboard } = await import('../live-dashboard.js');
      const dashboard = LiveDashboard.create(values, spec, {
        dir,
        config,
        trainSize: data.train.count,
        token: readToken(stringFlag(values, 'token-file', spec)),
      });
      const coordinator = await startOrDiscard(dir, resume === undefined, {
        config,
        data,
        backend,
        inProcessWorkers: workers === 0 ? 1 : 0,
        minWorkers: Math.max(1, workers),
        maxWorkers: Math.max(64, workers),
        observer: dashboard.observe(recorder),
        checkpointDir: dir.checkpointDir,
        checkpointEvery,
        resume,
        ...reliability,
        busyWaitMs,
        // In one process nothing crosses a network: the in-process worker adopts whole parameters for the cost of a
        // copy, where factors would have it list the batch's pixels a second time.
        exchange: workers === 0 && exchange === 'auto' ? 'params' : exchange,
      });
      await dashboard.start(coordinator);
      return { coordinator, dashboard, recorder };
    };
    // The workers boot and load their data while this process does; they learn its address once it listens.
    const local =
      workers > 0
        ? new LocalWorkers(workers, { backend, dataDir, extraArgs: ['--busy-wait', String(busyWaitMs)] })
        : null;
    const { coordinator, dashboard, recorder } = await startRun().catch((err: unknown) => {
      local?.kill();
      throw err;
    });
    local?.connect(coordinator.url);
    let result: Awaited<ReturnType<Coordinator['run']>>;
    // Workers that all die (before joining, or mid-run) would leave the coordinator waiting for ever.
    let workersGone: RunError | null = null;
    void local?.allExited().then(() => {
      workersGone = new RunError(
        'DESCENT_ERR_WORKERS_GONE',

        'every local worker process exited before the run ended; their messages are above',
      );
      void coordinator.close();
    });
    try {
      result = await coordinator.run();
    } catch (err) {
      local?.kill();
      await dashboard.fail(workersGone ?? err);
      throw workersGone ?? err;
    } finally {
      await coordinator.close();
    }
    await local?.stop();
    const workerRss = local && local.peakRssMb.length > 0 ? Math.max(...local.peakRssMb) : undefined;
    const summary = await recorder.finish(result, backend, workerRss);
    await dashboard.finish(summary);
    process.stdout.write(
      `final: train acc ${summary.finalTrainAcc.toFixed(4)}, test acc ${summary.finalTestAcc.toFixed(4)} after ${summary.steps} steps; ` +
        `${summary.trainStepsPerSecond.toFixed(0)} steps/s training, ${summary.wallSeconds.toFixed(1)} s wall\n` +
        `paramsSha256 ${summary.paramsSha256}\nrun written to ${dir.path}\n`,
    );
    return 0;
  },
};
