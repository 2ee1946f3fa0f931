import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunning } from './data-dir-lock.js';
import { ServerControlInvalidError, type DatabaseLockedError } from './errors.js';

export const SERVER_CONTROL_FILE = '.customs-server.json';

/**
 * How a command reaches the `customs serve` that holds an embedded data directory: PGlite admits one
 * process, so a second one (`customs db import`, `customs token create`) asks that server instead.
 */
export interface ServerControl {
  /** The server's process: the file counts only while this pid holds the data directory's lock. */
  pid: number;
  /** Its API, on loopback. */
  url: string;
  /** An admin token of its own, made at start and revoked at a clean stop. */
  tokenId: string;
  token: string;
}

/**
 * Written owner-only (0600): the token is an admin credential. Written under a private name and
 * renamed into place, so a reader never sees half a file.
 */
export async function writeServerControl(dataDir: string, control: ServerControl): Promise<void> {
  const path = join(dataDir, SERVER_CONTROL_FILE);
  const draft = `${path}.${randomBytes(6).toString('hex')}`;
  const file = await open(draft, 'wx', 0o600);
  try {
    await file.writeFile(JSON.stringify(control) + '\n');
  } finally {
    await file.close();
  }
  await rename(draft, path).catch(async (error: unknown) => {
    await unlink(draft).catch(() => undefined);
    throw error;
  });
}

/** The data directory's control file, or null when there is none. */
export async function readServerControl(dataDir: string): Promise<ServerControl | null> {
  const path = join(dataDir, SERVER_CONTROL_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw new ServerControlInvalidError(path, error instanceof Error ? error.message : String(error));
  }
  return parseControl(path, text);
}

/** Removes the control file, but only the one `pid` wrote: a later server's file stays. */
export async function removeServerControl(dataDir: string, pid: number = process.pid): Promise<void> {
  const current = await readServerControl(dataDir).catch(() => null);
  if (current?.pid === pid) await unlink(join(dataDir, SERVER_CONTROL_FILE)).catch(() => undefined);
}

/**
 * The server to ask instead, when the lock that stopped us is held by a running `customs serve`;
 * null when the holder is something else (another import), which keeps DB_LOCKED as it is.
 */
export async function serverHoldingLock(locked: DatabaseLockedError): Promise<ServerControl | null> {
  const control = await readServerControl(locked.dataDir);
  if (control === null || control.pid !== locked.holderPid || !isRunning(control.pid)) return null;
  return control;
}

function parseControl(path: string, text: string): ServerControl {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServerControlInvalidError(path, 'not JSON');
  }
  const { pid, url, tokenId, token } = (value ?? {}) as Record<string, unknown>;
  if (
    typeof pid !== 'number' ||
    !Number.isSafeInteger(pid) ||
    pid <= 0 ||
    typeof url !== 'string' ||
    !/^http:\/\/127\.0\.0\.1:\d+$/.test(url) ||
    typeof tokenId !== 'string' ||
    typeof token !== 'string'
  ) {
    throw new ServerControlInvalidError(
      path,
      'expected { pid, url (http://127.0.0.1:PORT), tokenId, token }',
    );
  }
  return { pid, url, tokenId, token };
}
