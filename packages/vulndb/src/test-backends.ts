import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';

/** test/fixtures/osv, reached from dist/ (this file compiles to packages/vulndb/dist/). */
export const OSV_FIXTURES = fileURLToPath(new URL('../../../test/fixtures/osv', import.meta.url));

/**
 * The two backends every database test runs on: a throwaway database on the real PostgreSQL (or a
 * private cluster where none runs) and an embedded PGlite in a temporary directory.
 */
export interface TestBackend {
  kind: 'postgres' | 'pglite';
  /** A fresh, empty database; closed and dropped by `cleanup`. */
  open(): Promise<Database>;
}

export interface TestBackends {
  backends: TestBackend[];
  cleanup(): Promise<void>;
}

export async function createTestBackends(): Promise<TestBackends> {
  const scratch = await mkdtemp(join(tmpdir(), 'customs-vulndb-test-'));
  const servers: TestPostgres[] = [];
  const opened: Database[] = [];
  let pgliteCount = 0;
  const remember = (db: Database): Database => {
    opened.push(db);
    return db;
  };
  return {
    backends: [
      {
        kind: 'postgres',
        async open() {
          const server = await createTestPostgres();
          servers.push(server);
          return remember(await openDatabase({ url: server.url }));
        },
      },
      {
        kind: 'pglite',
        async open() {
          pgliteCount += 1;
          return remember(await openDatabase({ dataDir: join(scratch, `pglite-${pgliteCount}`) }));
        },
      },
    ],
    async cleanup() {
      for (const db of opened) await db.close().catch(() => undefined);
      for (const server of servers) await server.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
