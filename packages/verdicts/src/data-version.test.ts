import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VulnDbStatus } from '@customs/vulndb';
import { createDataVersionSource } from './data-version.js';

/** Status answers as @customs/vulndb gives them (its reader is tested there, on real imports). */
function statusReader(answers: Array<VulnDbStatus | Error>, onCall: () => void = () => undefined) {
  const reader = {
    calls: 0,
    async status(): Promise<VulnDbStatus> {
      const answer = answers[Math.min(reader.calls, answers.length - 1)];
      reader.calls += 1;
      onCall();
      if (answer instanceof Error || answer === undefined) throw answer ?? new Error('no answer');
      return answer;
    },
  };
  return reader;
}

const imported = (at: string, advisories: number): VulnDbStatus => ({
  advisories,
  ecosystems: [],
  lastImport: { finishedAt: new Date(at), source: 'test/fixtures/osv/npm' },
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createDataVersionSource', () => {
  it('waits for the first lookup only; later ones run in the background once the interval has passed', async () => {
    const reader = statusReader([imported('2025-01-02T03:04:05Z', 15), imported('2025-01-03T00:00:00Z', 16)]);
    let now = 0;
    const source = createDataVersionSource(reader, {
      pollMs: 1_000,
      clock: () => now,
      onError: () => undefined,
    });
    const first = await source.current();
    assert.deepEqual(first, {
      version: '2025-01-02T03:04:05.000Z+15',
      lastImport: new Date('2025-01-02T03:04:05Z'),
      advisories: 15,
    });
    now = 999;
    assert.equal(await source.current(), first);
    assert.equal(reader.calls, 1);
    now = 1_000;
    assert.equal(await source.current(), first, 'answered at once with what it has');
    assert.equal(reader.calls, 2, 'while a lookup started');
    await settle();
    assert.equal((await source.current())?.version, '2025-01-03T00:00:00.000Z+16');
  });

  it('pauses ten times as long as a lookup took, so counting a big database stays a small share', async () => {
    let now = 0;
    const reader = statusReader([imported('2025-01-02T03:04:05Z', 15)], () => {
      now += 250;
    });
    const source = createDataVersionSource(reader, {
      pollMs: 1_000,
      clock: () => now,
      onError: () => undefined,
    });
    await source.current();
    now += 2_499;
    await source.current();
    assert.equal(reader.calls, 1);
    now += 1;
    await source.current();
    assert.equal(reader.calls, 2);
  });

  it('looks up on every call and waits when the interval is 0', async () => {
    const reader = statusReader([imported('2025-01-02T03:04:05Z', 15), imported('2025-01-03T00:00:00Z', 16)]);
    const source = createDataVersionSource(reader, { pollMs: 0, clock: () => 0, onError: () => undefined });
    assert.equal((await source.current())?.advisories, 15);
    assert.equal((await source.current())?.advisories, 16);
  });

  it('says null while nothing was imported', async () => {
    const source = createDataVersionSource(
      statusReader([{ advisories: 0, ecosystems: [], lastImport: null }]),
      {
        pollMs: 1_000,
        clock: () => 0,
        onError: () => undefined,
      },
    );
    assert.equal(await source.current(), null);
  });

  it('keeps the last known version when a lookup fails, and fails when it never had one', async () => {
    const errors: unknown[] = [];
    let now = 0;
    const reader = statusReader([imported('2025-01-02T03:04:05Z', 15), new Error('connection refused')]);
    const source = createDataVersionSource(reader, {
      pollMs: 10,
      clock: () => now,
      onError: (error) => errors.push(error),
    });
    await source.current();
    now = 20;
    assert.equal((await source.current())?.advisories, 15);
    await settle();
    assert.equal(errors.length, 1);
    assert.equal((await source.current())?.advisories, 15);
    assert.equal(reader.calls, 2, 'a failed lookup also waits for the interval');
    const never = createDataVersionSource(statusReader([new Error('down')]), {
      pollMs: 10,
      clock: () => 0,
      onError: () => undefined,
    });
    await assert.rejects(never.current(), /down/);
  });
});
