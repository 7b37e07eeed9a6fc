import { existsSync, readdirSync } from 'node:fs';
import { type DataSplits, loadMnist } from '@descent/core';
import type { Logger } from './worker-options.js';

/**
 * The data set a worker starts with: the one passed in, else the cache directory when it holds one, else
 * MNIST from `dataDir` (or the bundled package). Null means "ask the coordinator" (hello says 'none').
 */
export function localData(
  options: { data?: DataSplits; dataDir?: string; cacheDir?: string },
  logger: Logger,
): DataSplits | null {
  if (options.data) return options.data;
  if (options.cacheDir !== undefined) {
    if (!existsSync(options.cacheDir) || readdirSync(options.cacheDir).length === 0) return null;
    try {
      return loadMnist(options.cacheDir);
    } catch (err) {
      logger.warn(
        `cache ${options.cacheDir} is unusable (${(err as Error).message}); fetching the data set again`,
      );
      return null;
    }
  }
  try {
    return loadMnist(options.dataDir);
  } catch (err) {
    logger.warn(`no local data set (${(err as Error).message}); will ask the coordinator for it`);
    return null;
  }
}
