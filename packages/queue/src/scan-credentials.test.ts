import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import test, { after, before } from 'node:test';
import type { Redis } from 'ioredis';
import { createRedisConnection } from './connection.js';
import { createScanCredentialStore } from './scan-credentials.js';
import { startThrowawayRedis, type ThrowawayRedis } from './testing/throwaway-redis.js';

let redis: ThrowawayRedis;
let connection: Redis;
before(async () => {
  redis = await startThrowawayRedis();
  connection = createRedisConnection(redis.url);
});
after(async () => {
  connection.disconnect();
  await redis.stop();
});

const robot = { username: 'robot$library+scan', password: 'p4ss' };

test('a credential is kept per scan, registry and repository, under a TTL, until forgotten', async () => {
  const store = createScanCredentialStore(connection);
  const key = { scanId: randomUUID(), registry: '127.0.0.1:5000', repository: 'library/app' };
  await store.put(key, robot, 30);
  assert.deepEqual(await store.get(key), robot);
  assert.equal(await store.get({ ...key, repository: 'library/other' }), null);
  assert.equal(await store.get({ ...key, scanId: randomUUID() }), null);
  const [stored] = await connection.keys('customs:scan-credential:*');
  assert.ok(stored);
  const ttl = await connection.ttl(stored);
  assert.ok(ttl > 0 && ttl <= 30, `TTL ${ttl}`);
  await store.forget(key);
  assert.equal(await store.get(key), null);
  assert.deepEqual(await connection.keys('customs:scan-credential:*'), []);
});

test('a key holding anything but a credential reads as none', async () => {
  const store = createScanCredentialStore(connection);
  const key = { scanId: randomUUID(), registry: '127.0.0.1:5000', repository: 'library/app' };
  await connection.set(`customs:scan-credential:${key.scanId}:127.0.0.1:5000/library/app`, 'not json');
  assert.equal(await store.get(key), null);
});
