import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import test, { after, before } from 'node:test';
import { createRedisConnection } from './connection.js';
import type { ScanImageJob } from './jobs/scan-image.js';
import { createScanQueues, type ScanQueues } from './queues.js';
import { startThrowawayRedis, type ThrowawayRedis } from './testing/throwaway-redis.js';
import { startScanWorkers, type DeadLetterInfo } from './workers.js';

let redis: ThrowawayRedis;
before(async () => {
  redis = await startThrowawayRedis();
});
after(() => redis.stop());

function job(n: number, digest = digestOf(n)): ScanImageJob {
  return {
    v: 1,
    scanId: randomUUID(),
    registry: '127.0.0.1:5000',
    repository: `demo/app${n}`,
    digest,
    tag: '1.0',
    requestedAt: new Date().toISOString(),
  };
}

function digestOf(n: number): string {
  return `sha256:${n.toString(16).padStart(64, '0')}`;
}

async function withQueues<T>(fn: (queues: ScanQueues, url: string) => Promise<T>): Promise<T> {
  const connection = createRedisConnection(redis.url);
  const queues = createScanQueues(connection, { attempts: 2, backoffMs: 10 });
  try {
    return await fn(queues, redis.url);
  } finally {
    await queues.close();
    connection.disconnect();
    const admin = createRedisConnection(redis.url);
    await admin.flushall();
    admin.disconnect();
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a duplicated push event is one job; the worker gets the validated payload', async () => {
  await withQueues(async (queues, url) => {
    const first = job(1);
    assert.deepEqual(await queues.enqueueScan(first), {
      jobId: `sha256-${'0'.repeat(63)}1`,
      added: true,
      finished: false,
    });
    const duplicate = await queues.enqueueScan({ ...first, scanId: randomUUID() });
    assert.deepEqual([duplicate.added, duplicate.finished], [false, false], 'held by a job still waiting');
    const seen: ScanImageJob[] = [];
    const connection = createRedisConnection(url);
    const workers = startScanWorkers(connection, async (data) => void seen.push(data), {
      concurrency: 2,
      rescanRate: { max: 10, durationMs: 1000 },
    });
    await until(() => seen.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(seen, [first]);
    await workers.close();
    connection.disconnect();
  });
});

test('a producer with a different payload shape is refused before anything is queued', async () => {
  await withQueues(async (queues) => {
    const bad = { ...job(2), digest: 'latest' };
    await assert.rejects(queues.enqueueScan(bad), { code: 'JOB_PAYLOAD_INVALID' });
    assert.equal((await queues.depth()).scan.waiting, 0);
  });
});

test('a job that keeps failing is retried, then becomes a dead letter once', async () => {
  await withQueues(async (queues, url) => {
    const letters: DeadLetterInfo[] = [];
    const attempts: number[] = [];
    const connection = createRedisConnection(url);
    const workers = startScanWorkers(
      connection,
      async (_data, context) => {
        attempts.push(context.attempt);
        throw new Error(`registry down (attempt ${context.attempt}, last ${context.lastAttempt})`);
      },
      {
        concurrency: 1,
        rescanRate: { max: 10, durationMs: 1000 },
        onDeadLetter: async (letter) => void letters.push(letter),
      },
    );
    await queues.enqueueScan(job(3));
    await until(() => letters.length === 1);
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(letters[0]?.attempts, 2);
    assert.equal(letters[0]?.error.message, 'registry down (attempt 2, last true)');
    await workers.close();
    connection.disconnect();
  });
});

test('bulk rescans are rate limited and never hold back a push', async () => {
  await withQueues(async (queues, url) => {
    for (let n = 10; n < 30; n++) await queues.enqueueRescan(job(n));
    const order: string[] = [];
    const connection = createRedisConnection(url);
    const workers = startScanWorkers(
      connection,
      async (data, context) => {
        order.push(`${context.queue}:${data.repository}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
      { concurrency: 2, rescanRate: { max: 2, durationMs: 1000 } },
    );
    await until(() => order.length >= 1);
    await queues.enqueueScan(job(99));
    await until(() => order.includes('scan:demo/app99'));
    const rescansBefore = order.indexOf('scan:demo/app99');
    assert.ok(rescansBefore <= 3, `the push waited behind ${rescansBefore} rescans: ${order.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const rescans = order.filter((entry) => entry.startsWith('rescan:')).length;
    assert.ok(rescans <= 6, `${rescans} rescans ran in about 1.5 s at 2 per second`);
    await workers.close();
    connection.disconnect();
  });
});

test('queued jobs survive a Redis restart when Redis keeps an append-only file', async () => {
  const durable = await startThrowawayRedis({ appendonly: true });
  try {
    const connection = createRedisConnection(durable.url);
    const queues = createScanQueues(connection);
    const queued = job(4);
    await queues.enqueueScan(queued);
    await durable.restart();
    const seen: ScanImageJob[] = [];
    const workerConnection = createRedisConnection(durable.url);
    const workers = startScanWorkers(workerConnection, async (data) => void seen.push(data), {
      concurrency: 1,
      rescanRate: { max: 1, durationMs: 1000 },
    });
    await until(() => seen.length === 1);
    assert.deepEqual(seen, [queued]);
    await workers.close();
    await queues.close();
    connection.disconnect();
    workerConnection.disconnect();
  } finally {
    await durable.stop();
  }
});
