import { InvalidOptionError } from '@customs/errors';
import type { Database, OpenDatabaseOptions } from './database.js';
import { openPglite } from './pglite-database.js';
import { openPostgres } from './postgres-database.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** A PostgreSQL server when given a `postgres://` URL, otherwise the embedded PGlite in `dataDir`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url !== undefined) {
    if (!POSTGRES_URL.test(options.url)) {
      throw new InvalidOptionError(
        'url',
        'expected a postgres:// or postgresql:// URL',
        'pass --db postgres://user@host/db',
      );
    }
    return openPostgres(options.url);
  }
  if (options.dataDir !== undefined && options.dataDir !== '') return openPglite(options.dataDir);
  throw new InvalidOptionError('url / dataDir', 'neither a PostgreSQL URL nor a data directory was given');
}
