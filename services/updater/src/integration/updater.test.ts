import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadServiceConfig, type ServiceConfig } from '@customs/config';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { openStore, type Store } from '@customs/store';
import { readDataStatus } from '@customs/vulndb';
import {
  buildExport,
  readRecords,
  selfSignedCertificate,
  startMirror,
  type MirrorServer,
} from '@customs/vulndb/testing';
import { pino, type Logger } from 'pino';
import { startUpdater, type RunningUpdater } from '../start-updater.js';
import { startGatedProxy, type GatedProxy } from './gated-proxy.js';

// Real records (test/fixtures/osv, see its SOURCES.md), published the way OSV's exporter does.
const OSV_NPM = fileURLToPath(new URL('../../../../test/fixtures/osv/npm', import.meta.url));

interface LogLine {
  msg: string;
  time: number;
  [key: string]: unknown;
}

/** A logger whose JSON lines are kept, with a millisecond clock that never repeats within one process. */
function captureLogs(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'info', timestamp: () => `,"time":${performance.timeOrigin + performance.now()}` },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

function configFor(mirrorUrl: string, caFile: string, workDir: string): ServiceConfig {
  return loadServiceConfig({
    env: { CUSTOMS_CONFIG: 'customs.json' },
    readFile: () =>
      JSON.stringify({
        // A day: the schedule's first run comes at start; the test asks for the others.
        updater: {
          intervalMinutes: 1440,
          mirrors: [mirrorUrl],
          upstream: false,
          caFile,
          ecosystems: ['npm'],
          workDir,
        },
      }),
  });
}

describe('customs updater: scheduled updates, one at a time across processes', () => {
  let scratch: string;
  let postgres: TestPostgres;
  let redis: ThrowawayRedis;
  let db: Database;
  let store: Store;
  let mirror: MirrorServer;
  let gate: GatedProxy;
  const running: RunningUpdater[] = [];

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'customs-updater-'));
    const tls = await selfSignedCertificate(scratch);
    mirror = await startMirror(buildExport(await readRecords(OSV_NPM)), tls);
    gate = await startGatedProxy({ host: '127.0.0.1', port: Number(new URL(mirror.url).port) });
    [postgres, redis] = await Promise.all([createTestPostgres(), startThrowawayRedis()]);
    db = await openDatabase({ url: postgres.url });
    store = await openStore(db);
  });
  after(async () => {
    for (const updater of running) await updater.close();
    await db?.close();
    await postgres?.close();
    await redis?.stop();
    await gate?.close();
    await mirror?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('a second updater asked to update while the first one is mid-download skips; their lock spans never overlap', async () => {
    const gated = configFor(`https://${gate.host}`, join(scratch, 'mirror.crt'), join(scratch, 'work'));
    const first = captureLogs();
    const second = captureLogs();
    running.push(await startUpdater({ config: gated, store, redisUrl: redis.url, logger: first.logger }));
    running.push(await startUpdater({ config: gated, store, redisUrl: redis.url, logger: second.logger }));
    // The schedule's first run starts in one of them and waits at the gate, holding the lock.
    await gate.waiting;
    const idle = first.lines.some((line) => line.msg === 'update lock taken') ? running[1] : running[0];
    assert.ok(idle);
    const skipped = await idle.runNow();
    assert.deepEqual(skipped, { status: 'skipped', reason: 'another updater holds the update lock' });
    gate.open();
    await waitFor(async () =>
      [...first.lines, ...second.lines].some((line) => line.msg === 'update lock released'),
    );
    assert.equal((await readDataStatus(db)).current?.version, 1);
    const again = await idle.runNow();
    assert.equal(again.status, 'updated', 'once the lock is free, either may update');

    const spans = [first.lines, second.lines].flatMap((lines) => lockSpans(lines));
    assert.ok(spans.length >= 2, 'the scheduled update and the one asked for after it ran');
    spans.sort((a, b) => a.taken - b.taken);
    for (let i = 1; i < spans.length; i += 1)
      assert.ok(
        (spans[i]?.taken ?? 0) > (spans[i - 1]?.released ?? Infinity),
        'an update starts only after the one before it released the lock',
      );
  });

  it('a failed update is logged and rejected; the previous data version keeps serving', async () => {
    // Only the broken updater may take the job.
    for (const updater of running.splice(0)) await updater.close();
    const logs = captureLogs();
    const broken = configFor('https://127.0.0.1:1', join(scratch, 'mirror.crt'), join(scratch, 'work'));
    const updater = await startUpdater({ config: broken, store, redisUrl: redis.url, logger: logs.logger });
    running.push(updater);
    const before = (await readDataStatus(db)).current?.version;
    await assert.rejects(updater.runNow(), /osv:npm/);
    assert.equal((await readDataStatus(db)).current?.version, before);
    const failure = logs.lines.find(
      (line) => line.msg === 'update failed; the previous vulnerability data keeps serving',
    );
    assert.match(String(failure?.error), /osv:npm/);
  });
});

function lockSpans(lines: readonly LogLine[]): Array<{ taken: number; released: number }> {
  const spans: Array<{ taken: number; released: number }> = [];
  for (const line of lines) {
    if (line.msg === 'update lock taken') spans.push({ taken: line.time, released: Infinity });
    if (line.msg === 'update lock released') {
      const open = spans.at(-1);
      if (open) open.released = line.time;
    }
  }
  return spans;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
