import { openDatabase, resolveDatabaseTarget, type Database, type DatabaseFlags } from '@customs/db';
import { UsageError, type CliIO } from './io.js';

/** `--db URL` / `--db-dir PATH`: every command that reads the vulnerability database takes them. */
export const DATABASE_OPTIONS = {
  db: { type: 'string' },
  'db-dir': { type: 'string' },
} as const;

export function databaseFlags(values: { db?: string; 'db-dir'?: string }): DatabaseFlags {
  if (values.db !== undefined && values['db-dir'] !== undefined)
    throw new UsageError('give --db or --db-dir, not both');
  if (values.db !== undefined && !/^postgres(ql)?:\/\//i.test(values.db)) {
    throw new UsageError(`--db "${values.db}" is not a postgres:// URL`);
  }
  return { db: values.db, dbDir: values['db-dir'] };
}

/** Opens the database the flags, DATABASE_URL or the default cache directory name, and always closes it. */
export async function withDatabase<T>(
  flags: DatabaseFlags,
  io: CliIO,
  use: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(resolveDatabaseTarget(flags, io.env));
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}
