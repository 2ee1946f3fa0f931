import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { openDatabase } from './open-database.js';
import type { Database } from './database.js';
import { createTestPostgres, type TestPostgres } from './testing/index.js';

let server: TestPostgres;
let scratch: string;

before(async () => {
  server = await createTestPostgres();
  scratch = await mkdtemp(join(tmpdir(), 'customs-db-test-'));
});
after(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

const backends: Array<{ kind: 'postgres' | 'pglite'; open: () => Promise<Database> }> = [
  { kind: 'postgres', open: () => openDatabase({ url: server.url }) },
  { kind: 'pglite', open: () => openDatabase({ dataDir: join(scratch, 'pglite') }) },
];

for (const backend of backends) {
  describe(`openDatabase on ${backend.kind}`, () => {
    let db: Database;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db.close();
    });

    it('reports its kind', () => {
      assert.equal(db.kind, backend.kind);
    });

    it('returns the same value types on both backends: int8 as number, jsonb parsed, arrays, Date', async () => {
      const [row] = await db.query(
        `select count(*) as n, $1::jsonb as doc, $2::text[] as names, timestamptz '2024-01-02T03:04:05Z' as at`,
        [JSON.stringify({ a: [1, 'x'] }), ['b', 'c']],
      );
      assert.deepEqual(row, {
        n: 1,
        doc: { a: [1, 'x'] },
        names: ['b', 'c'],
        at: new Date('2024-01-02T03:04:05Z'),
      });
    });

    it('runs multi-statement scripts with exec', async () => {
      await db.exec('create table t_exec (v int); insert into t_exec values (1), (2);');
      assert.deepEqual(await db.query('select sum(v)::int as s from t_exec'), [{ s: 3 }]);
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await db.exec('create table t_tx (v int)');
      await db.transaction(async (tx) => {
        await tx.query('insert into t_tx values ($1)', [1]);
      });
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('insert into t_tx values ($1)', [2]);
          throw new Error('abort on purpose');
        }),
        /abort on purpose/,
      );
      assert.deepEqual(await db.query('select v from t_tx order by v'), [{ v: 1 }]);
    });
  });
}

describe('openDatabase errors', () => {
  it('refuses a URL that is not postgres://', async () => {
    await assert.rejects(openDatabase({ url: 'mysql://localhost/x' }), (error) =>
      isCustomsError(error, 'INVALID_OPTION'),
    );
  });

  it('refuses to guess when given neither url nor dataDir', async () => {
    await assert.rejects(openDatabase({}), (error) => isCustomsError(error, 'INVALID_OPTION'));
  });

  it('names the server (without its password) when it cannot connect', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await assert.rejects(openDatabase({ url: 'postgres://me:secret@127.0.0.1:1/x' }), (error) => {
      assert.ok(isCustomsError(error, 'DB_UNAVAILABLE'));
      assert.match(error.message, /postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/x/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  });
});
