import { hostname } from 'node:os';
import { backendNames, type DataSplits } from '@descent/core';
import { localData, quietLogger, runWorker } from '@descent/worker';
import { busyWaitFlag, busyWaitOption } from '../busy-wait-flag.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { readFlagFile } from '../flag-file.js';
import { choiceFlag, stringFlag } from '../flags.js';
import { backendFlag, dataFlag, defaultBackend } from '../options.js';
import { peakRssMb } from '../peak-rss.js';
import { scalingWorkerFlags, scalingWorkerOptions } from '../scale/worker-flags.js';
import { readAddress } from '../stdin-address.js';
import { readToken } from '../token.js';

const spec = {
  name: 'worker',
  summary: 'join a coordinator and compute micro-shards until the run ends',
  flags: {
    connect: {
      type: 'string',
      value: 'URL',
      help: 'the coordinator, ws://HOST:PORT or wss://HOST:PORT; - reads it from stdin once the data set is loaded',
    },
    'token-file': {
      type: 'string',
      value: 'FILE',
      help: 'file holding the shared secret (or set DESCENT_TOKEN)',
    },
    cache: {
      type: 'string',
      value: 'DIR',
      help: 'data cache: used when it holds the run’s data, else filled from the coordinator',
    },
    data: dataFlag,
    backend: backendFlag,
    name: { type: 'string', value: 'NAME', help: 'shown in the coordinator’s logs (default: host-pid)' },
    'tls-ca': { type: 'string', value: 'FILE', help: 'CA certificate (PEM) to trust for wss://' },
    ...busyWaitFlag,
    ...scalingWorkerFlags,
  },
} as const;

/**
 * A worker started by `descent train` (DESCENT_PARENT_PID set) leaves when that process is gone, e.g. killed,
 * instead of dialling a coordinator that will not come back.
 */
function watchParent(leave: () => void): NodeJS.Timeout | null {
  const parent = Number(process.env.DESCENT_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return null;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      leave();
    }
  }, 500);
  timer.unref();
  return timer;
}

export const workerCommand: Command = {
  spec,
  async run(values) {
    const connect = stringFlag(values, 'connect', spec);
    if (connect === undefined)
      throw new UsageError(
        'descent worker needs --connect ws://HOST:PORT (the coordinator prints the exact line), or - to read it from stdin',
      );
    const caFile = stringFlag(values, 'tls-ca', spec);
    const ca = caFile === undefined ? undefined : readFlagFile('tls-ca', caFile);
    const dataDir = stringFlag(values, 'data', spec);
    const cacheDir = stringFlag(values, 'cache', spec);
    const busyWaitMs = busyWaitOption(values, spec);
    let url = connect;
    let data: DataSplits | null = null;
    if (connect === '-') {
      // The data set loads while the launcher's coordinator starts; the address comes once it listens.
      const address = readAddress(process.stdin);
      // Without a data set here, runWorker looks again and says why, once.
      data = localData({ dataDir, cacheDir }, { ...quietLogger, warn: () => {} });
      url = await address;
    }
    const stop = new AbortController();
    const leave = () => stop.abort();
    process.once('SIGINT', leave);
    process.once('SIGTERM', leave);
    const orphanWatch = watchParent(leave);
    const scaling = scalingWorkerOptions(
      values,
      spec,
      stringFlag(values, 'name', spec) ?? `${hostname()}-${process.pid}`,
    );
    const summary = await runWorker({
      signal: stop.signal,
      url,
      token: readToken(stringFlag(values, 'token-file', spec)),
      name: stringFlag(values, 'name', spec) ?? `${hostname()}-${process.pid}`,
      backend: choiceFlag(values, 'backend', spec, backendNames) ?? defaultBackend,
      ...(data !== null ? { data } : { dataDir, cacheDir }),
      ca,
      busyWaitMs,
      ...scaling.options,
    });
    scaling.finish();
    // One JSON object on the line, so a launcher (LocalWorkers, the benchmarks) can read the figures back.
    const peakRss = peakRssMb();
    if (orphanWatch) clearInterval(orphanWatch);
    process.stderr.write(`descent worker: done ${JSON.stringify({ ...summary, peakRssMb: peakRss })}\n`);
    return 0;
  },
};
