import {
  DatabaseLockedError,
  openDatabase,
  serverHoldingLock,
  type Database,
  type OpenDatabaseOptions,
} from '@customs/db';
import type { CliIO } from '../io.js';
import { createServerClient, type ServerClient } from './server-client.js';

export interface DatabaseOrServer<T> {
  database(db: Database): Promise<T>;
  server(server: ServerClient): Promise<T>;
}

/**
 * Opens the database; when it is an embedded one a running `customs serve` holds (PGlite admits one
 * process), asks that server instead. Any other holder keeps today's DB_LOCKED error.
 */
export async function withDatabaseOrServer<T>(
  target: OpenDatabaseOptions,
  io: CliIO,
  use: DatabaseOrServer<T>,
): Promise<T> {
  let db: Database;
  try {
    db = await openDatabase(target);
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    const control = await serverHoldingLock(error);
    if (control === null) throw error;
    io.stderr.write(
      `customs serve (pid ${control.pid}) has ${error.dataDir} open: asking it at ${control.url}\n`,
    );
    return use.server(createServerClient(control));
  }
  try {
    return await use.database(db);
  } finally {
    await db.close();
  }
}
