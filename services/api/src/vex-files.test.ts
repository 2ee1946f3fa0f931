import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { loadServiceConfig } from '@customs/config';
import { openDatabase, type Database } from '@customs/db';
import { isCustomsError } from '@customs/errors';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { openStore, type Store } from '@customs/store';
import { startApiService } from './start-service.js';

const TESTDATA = '../../../packages/vex/testdata/';
/** Real upstream documents (packages/vex/testdata/SOURCES.md): one valid, one the schema refuses. */
const GO_VEX = fileURLToPath(new URL(`${TESTDATA}go-vex-v0.2.0.json`, import.meta.url));
const GO_VEX_INVALID = fileURLToPath(new URL(`${TESTDATA}go-vex-v020-1.vex.json`, import.meta.url));

let db: Database;
let store: Store;
let redis: ThrowawayRedis;
before(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  store = await openStore(db);
  redis = await startThrowawayRedis();
});
after(async () => {
  await redis.stop();
  await db.close();
});

function configWith(files: string[]) {
  return loadServiceConfig({
    env: { CUSTOMS_CONFIG: 'customs.json' },
    readFile: () => JSON.stringify({ api: { port: 0, host: '127.0.0.1' }, vex: { files } }),
  });
}

const silent = { level: 'silent' as const };

test('vex.files are imported when the API starts, once however often it starts', async () => {
  for (let start = 0; start < 2; start += 1) {
    const service = await startApiService({
      config: configWith([GO_VEX]),
      store,
      redisUrl: redis.url,
      log: silent,
    });
    await service.close();
  }
  const documents = await store.vex.list();
  assert.deepEqual(
    documents.map((document) => [document.documentId, document.source, document.digests]),
    [
      [
        'https://openvex.dev/docs/public/vex-d4e9020b6d0d26f131d535e055902dd6ccf3e2088bce3079a8cd3588a4b14c78',
        `file:${GO_VEX}`,
        ['sha256:124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126'],
      ],
    ],
  );
});

test('an invalid or missing VEX file stops the start, naming the file', async () => {
  for (const file of [GO_VEX_INVALID, '/nonexistent/customs-vex.json']) {
    await assert.rejects(
      startApiService({ config: configWith([file]), store, redisUrl: redis.url, log: silent }),
      (error: unknown) => isCustomsError(error, 'VEX_INVALID') && error.message.includes(`file:${file}`),
    );
  }
});
