import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseLockedError } from './errors.js';

export const LOCK_FILE = '.customs.lock';

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * PGlite has no lock of its own: two processes opening one directory would both write it and corrupt
 * it. We claim the directory with an exclusively created file holding our pid; a file left by a
 * process that no longer exists is taken over. The file is written under a private name and then
 * hard-linked into place, so another process never reads a lock file without its pid.
 */
export async function lockDataDir(dataDir: string, pid: number = process.pid): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const draft = `${path}.${pid}`;
  await writeFile(draft, `${pid}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await claim(draft, path)) return { release: () => unlink(path).catch(() => undefined) };
      const holder = await readHolder(path);
      if (holder !== null && holder !== pid && isRunning(holder))
        throw new DatabaseLockedError(dataDir, holder);
      await unlink(path).catch(() => undefined);
    }
    throw new DatabaseLockedError(dataDir, (await readHolder(path)) ?? 0);
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

async function claim(draft: string, path: string): Promise<boolean> {
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}

async function readHolder(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** Whether a process with this pid exists (it may belong to another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}
