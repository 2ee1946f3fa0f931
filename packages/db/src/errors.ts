import { CustomsError, errorCodesIn, type ErrorCodeIn } from '@customs/errors';

/** The codes this package raises (declared in @customs/errors); callers switch on these. */
export const dbErrorCodes = errorCodesIn('db');

export type DbErrorCode = ErrorCodeIn<'db'>;

export class DbError extends CustomsError {
  declare readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** The PostgreSQL server could not be reached or refused the connection. */
export class DatabaseUnavailableError extends DbError {
  constructor(location: string, problem: string, cause?: unknown) {
    super('DB_UNAVAILABLE', `cannot connect to PostgreSQL at ${location}: ${problem}`, {
      hint: 'check that the server is running and the URL (host, port, user, password, database) is right',
      cause,
    });
  }
}

/** Another process has the embedded database directory open; PGlite allows one process at a time. */
export class DatabaseLockedError extends DbError {
  readonly dataDir: string;
  readonly holderPid: number;

  constructor(dataDir: string, holderPid: number) {
    super('DB_LOCKED', `the database directory ${dataDir} is in use by another process (pid ${holderPid})`, {
      hint: `wait for that process to finish, or pass --db-dir to use another directory (if no such process is running, delete ${dataDir}/.customs.lock)`,
    });
    this.dataDir = dataDir;
    this.holderPid = holderPid;
  }
}

/** The embedded database directory exists but PGlite could not open it. */
export class DatabaseOpenError extends DbError {
  constructor(dataDir: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('DB_OPEN_FAILED', `cannot open the embedded database in ${dataDir}: ${detail}`, {
      hint: 'the directory may be damaged or written by an incompatible version; move it away and import again',
      cause,
    });
  }
}

/** The database was migrated by a newer Customs: this code would misread its tables. */
export class DatabaseSchemaNewerError extends DbError {
  readonly unknownMigrations: readonly string[];

  constructor(location: string, namespace: string, unknownMigrations: readonly string[]) {
    super(
      'DB_SCHEMA_NEWER',
      `the ${namespace} schema in ${location} has migrations this version of Customs does not know: ${unknownMigrations.join(', ')}`,
      { hint: 'upgrade Customs, or point it at another database (--db / --db-dir)' },
    );
    this.unknownMigrations = unknownMigrations;
  }
}

/** One migration's SQL failed; nothing of it was applied. */
export class MigrationFailedError extends DbError {
  constructor(namespace: string, id: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('DB_MIGRATION_FAILED', `migration ${namespace}/${id} failed: ${detail}`, {
      hint: 'the database was left as it was before this migration; report this as a bug',
      cause,
    });
  }
}

/** The control file a running `customs serve` left in its data directory cannot be read. */
export class ServerControlInvalidError extends DbError {
  constructor(path: string, problem: string) {
    super('DB_SERVER_CONTROL_INVALID', `cannot read the server control file ${path}: ${problem}`, {
      hint: 'restart customs serve, which writes it again; if no customs serve is running, delete the file',
    });
  }
}
