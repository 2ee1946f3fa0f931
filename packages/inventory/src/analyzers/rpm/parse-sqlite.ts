import type { SqlJsStatic } from 'sql.js';
import { RpmDbError } from './rpmdb-error.js';

/**
 * The WebAssembly SQLite engine, loaded and compiled once per process on first use (only images with
 * an rpm SQLite database pay for it). It is immutable code, not state: every database is opened and
 * closed on its own below.
 */
let engine: Promise<SqlJsStatic> | undefined;

/**
 * Header blobs of rpm's SQLite backend (`rpmdb.sqlite`, rpm ≥ 4.16: Fedora 33+, RHEL 9, CBL-Mariner):
 * table `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`, in hnum order like `rpm -qa`.
 */
export async function readSqliteBlobs(file: Uint8Array): Promise<Uint8Array[]> {
  engine ??= import('sql.js').then(({ default: initSqlJs }) => initSqlJs());
  const sql = await engine;
  let db;
  try {
    db = new sql.Database(file);
  } catch (error) {
    throw new RpmDbError(`not an SQLite database: ${describe(error)}`);
  }
  try {
    const statement = db.prepare('SELECT blob FROM Packages ORDER BY hnum');
    const blobs: Uint8Array[] = [];
    while (statement.step()) {
      const [blob] = statement.get();
      if (!(blob instanceof Uint8Array)) throw new RpmDbError('a Packages row has no blob');
      blobs.push(blob);
    }
    statement.free();
    return blobs;
  } catch (error) {
    if (error instanceof RpmDbError) throw error;
    throw new RpmDbError(`cannot read the Packages table: ${describe(error)}`);
  } finally {
    db.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
