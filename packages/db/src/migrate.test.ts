import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { Database } from './database.js';
import { migrate, type Migration } from './migrate.js';
import { openDatabase } from './open-database.js';
import { createTestPostgres, type TestPostgres } from './testing/index.js';

let server: TestPostgres;
let scratch: string;

before(async () => {
  server = await createTestPostgres();
  scratch = await mkdtemp(join(tmpdir(), 'customs-migrate-test-'));
});
after(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

// Each migration fails if run twice (no "if not exists"), so double application shows up as an error.
const v1: Migration[] = [
  { id: '0001-things', sql: 'create table things (id int primary key);' },
  {
    id: '0002-names',
    sql: 'alter table things add column name text; create index things_name on things (name);',
  },
];

const backends: Array<{ kind: string; open: () => Promise<Database> }> = [
  { kind: 'postgres', open: () => openDatabase({ url: server.url }) },
  { kind: 'pglite', open: () => openDatabase({ dataDir: join(scratch, 'pglite') }) },
];

for (const backend of backends) {
  describe(`migrate on ${backend.kind}`, () => {
    let db: Database;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db.close();
    });

    it('applies every migration in order and records it', async () => {
      assert.deepEqual(await migrate(db, { namespace: 'demo', migrations: v1 }), {
        applied: ['0001-things', '0002-names'],
      });
      await db.query(`insert into things (id, name) values (1, 'a')`);
      const recorded = await db.query(
        `select id from schema_migrations where namespace = 'demo' order by id`,
      );
      assert.deepEqual(recorded, [{ id: '0001-things' }, { id: '0002-names' }]);
    });

    it('applies nothing the second time', async () => {
      assert.deepEqual(await migrate(db, { namespace: 'demo', migrations: v1 }), { applied: [] });
    });

    it('applies only the new migration of a later release', async () => {
      const v2 = [...v1, { id: '0003-size', sql: 'alter table things add column size int;' }];
      assert.deepEqual(await migrate(db, { namespace: 'demo', migrations: v2 }), { applied: ['0003-size'] });
    });

    it('keeps namespaces apart', async () => {
      const other = [{ id: '0001-things', sql: 'create table other_things (id int);' }];
      assert.deepEqual(await migrate(db, { namespace: 'other', migrations: other }), {
        applied: ['0001-things'],
      });
    });

    it('refuses a database migrated by a newer release, naming the unknown migrations', async () => {
      await assert.rejects(migrate(db, { namespace: 'demo', migrations: v1 }), (error) => {
        assert.ok(isCustomsError(error, 'DB_SCHEMA_NEWER'));
        assert.match(error.message, /this version of Customs does not know: 0003-size$/);
        assert.match(error.message, new RegExp(db.location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        return true;
      });
      await assert.rejects(migrate(db, { namespace: 'demo', migrations: [] }), (error) =>
        isCustomsError(error, 'DB_SCHEMA_NEWER'),
      );
    });

    it('rolls a failing migration back whole and records nothing for it', async () => {
      const broken = [
        ...v1,
        { id: '0003-size', sql: 'alter table things add column size int;' },
        // The first statement succeeds, the second fails: neither may remain.
        { id: '0004-broken', sql: 'create table half (id int); select * from no_such_table;' },
      ];
      await assert.rejects(migrate(db, { namespace: 'demo', migrations: broken }), (error) => {
        assert.ok(isCustomsError(error, 'DB_MIGRATION_FAILED'));
        assert.match(error.message, /^migration demo\/0004-broken failed: /);
        return true;
      });
      assert.deepEqual(await db.query(`select to_regclass('half') as t`), [{ t: null }]);
      assert.deepEqual(
        await db.query(`select count(*) as n from schema_migrations where id = '0004-broken'`),
        [{ n: 0 }],
      );
    });
  });
}

describe('migrate from two processes at once (PostgreSQL)', () => {
  it('applies each migration exactly once', async () => {
    const first = await openDatabase({ url: server.url });
    const second = await openDatabase({ url: server.url });
    try {
      // A migration slow enough that the second caller arrives while the first holds the lock.
      const slow: Migration[] = [
        { id: '0001-slow', sql: 'select pg_sleep(0.3); create table raced (id int);' },
        { id: '0002-more', sql: 'alter table raced add column v int;' },
      ];
      const results = await Promise.all([
        migrate(first, { namespace: 'race', migrations: slow }),
        migrate(second, { namespace: 'race', migrations: slow }),
      ]);
      const applied = results.flatMap((result) => result.applied).sort();
      assert.deepEqual(applied, ['0001-slow', '0002-more']);
      assert.deepEqual(
        await first.query(`select count(*) as n from schema_migrations where namespace = 'race'`),
        [{ n: 2 }],
      );
    } finally {
      await first.close();
      await second.close();
    }
  });
});
