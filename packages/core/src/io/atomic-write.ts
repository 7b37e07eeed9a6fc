import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Marks files that are still being written; a crash may leave them behind, and readers ignore them. */
export const TEMP_MARK = '.tmp-';

/**
 * Writes `data` to a temp file beside `path` and flushes it to disk; the caller renames it into place with
 * `commitFile`. Split in two so several files can be made durable before any of them replaces the old one.
 */
export function writeTempFile(path: string, data: Uint8Array): string {
  const temp = join(dirname(path), `${basename(path)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  return temp;
}

export function commitFile(temp: string, path: string): void {
  renameSync(temp, path);
}

/** Makes renames and new names in `dir` durable: without it a crash can undo a rename. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` by `data` so that after a crash it holds either the old or the new content, whole. */
export function writeFileAtomic(path: string, data: Uint8Array): void {
  commitFile(writeTempFile(path, data), path);
  fsyncDir(dirname(path));
}
