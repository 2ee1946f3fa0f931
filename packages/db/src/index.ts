export type { Database, DatabaseKind, OpenDatabaseOptions, Queryable, Row } from './database.js';
export { openDatabase } from './open-database.js';
export { migrate } from './migrate.js';
export type { Migration, MigrateOptions, MigrateResult } from './migrate.js';
export { defaultDataDir, resolveDatabaseTarget } from './database-target.js';
export type { DatabaseFlags, DatabaseTarget, Env } from './database-target.js';
export {
  readServerControl,
  removeServerControl,
  serverHoldingLock,
  SERVER_CONTROL_FILE,
  writeServerControl,
} from './server-control.js';
export type { ServerControl } from './server-control.js';
export { redactUrl } from './postgres-database.js';
export {
  dbErrorCodes,
  DbError,
  DatabaseUnavailableError,
  DatabaseLockedError,
  DatabaseOpenError,
  DatabaseSchemaNewerError,
  MigrationFailedError,
  ServerControlInvalidError,
} from './errors.js';
export type { DbErrorCode } from './errors.js';
