import { InvalidOptionError } from '@customs/errors';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { OpenDatabaseOptions } from './database.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * `$XDG_CACHE_HOME/customs/db`, else `~/.cache/customs/db`. The XDG spec says a relative value is
 * invalid and must be ignored. The vulnerability data is a cache: it can always be imported again.
 */
export function defaultDataDir(env: Env): string {
  const xdg = env.XDG_CACHE_HOME;
  const cacheHome = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'customs', 'db');
}

/** What the user asked for on the command line: `--db URL` and `--db-dir PATH`. */
export interface DatabaseFlags {
  db?: string | undefined;
  dbDir?: string | undefined;
}

export interface DatabaseTarget extends OpenDatabaseOptions {
  /** Where the choice came from, for messages. */
  origin: 'flag' | 'env' | 'default';
}

/**
 * The one place that decides which database a command uses: `--db`, then `--db-dir`, then
 * `DATABASE_URL`, then the embedded database under the user's cache directory.
 */
export function resolveDatabaseTarget(flags: DatabaseFlags, env: Env): DatabaseTarget {
  if (flags.db !== undefined && flags.dbDir !== undefined) {
    throw new InvalidOptionError('--db / --db-dir', 'give one of them, not both');
  }
  if (flags.db !== undefined) return { url: flags.db, origin: 'flag' };
  if (flags.dbDir !== undefined) return { dataDir: flags.dbDir, origin: 'flag' };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, origin: 'env' };
  return { dataDir: defaultDataDir(env), origin: 'default' };
}
