import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../open-database.js';
import { startThrowawayCluster } from './throwaway-cluster.js';
import { createTestPostgres } from './test-postgres.js';

// The fallback createTestPostgres takes where no server runs; exercised here even where one does.
describe('startThrowawayCluster', () => {
  it('starts a trust-auth PostgreSQL on a free loopback port and stops it', async () => {
    const cluster = await startThrowawayCluster();
    try {
      assert.match(cluster.adminUrl, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const db = await openDatabase({ url: cluster.adminUrl });
      const [row] = await db.query<{ v: string }>("select current_setting('server_version_num') as v");
      assert.ok(Number(row?.v) >= 150000);
      await db.close();
    } finally {
      await cluster.stop();
    }
    await assert.rejects(openDatabase({ url: cluster.adminUrl }), /cannot connect/);
  });
});

describe('createTestPostgres', () => {
  it('falls back to a throwaway cluster when the server does not answer', async () => {
    // Nothing listens on loopback port 1.
    const test = await createTestPostgres('postgres://postgres@127.0.0.1:1/test');
    try {
      assert.equal(test.origin, 'throwaway');
      const db = await openDatabase({ url: test.url });
      assert.deepEqual(await db.query('select 1 as one'), [{ one: 1 }]);
      await db.close();
    } finally {
      await test.close();
    }
  });
});
