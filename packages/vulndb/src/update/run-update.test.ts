import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '@customs/db';
import { isCustomsError } from '@customs/errors';
import { splitEcosystem } from '../ecosystem/ecosystem-name.js';
import { packageNameKey } from '../ecosystem/package-name.js';
import { createVulnDbReader } from '../reader/vulndb-reader.js';
import { readDataStatus } from '../state/data-version.js';
import {
  buildExport,
  readRecords,
  selfSignedCertificate,
  startMirror,
  type FixtureRecord,
  type MirrorServer,
} from '../testing/osv-mirror.js';
import { updateVulnDb, type UpdateOptions } from './run-update.js';

// Real records (test/fixtures/osv, see its SOURCES.md), published the way OSV's exporter does.
const OSV = fileURLToPath(new URL('../../../../test/fixtures/osv', import.meta.url));
const ECOSYSTEMS = ['Debian', 'npm', 'Go'];

let scratch: string;
let tls: Awaited<ReturnType<typeof selfSignedCertificate>>;
let records: FixtureRecord[];
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'customs-vulndb-update-'));
  tls = await selfSignedCertificate(scratch);
  records = (await readRecords(OSV)).filter((record) =>
    record.ecosystems.some((e) => ECOSYSTEMS.includes(e)),
  );
});
after(() => rm(scratch, { recursive: true, force: true }));

function options(mirror: MirrorServer, extra: Partial<UpdateOptions> = {}): UpdateOptions {
  return {
    ecosystems: ECOSYSTEMS,
    mirrors: [mirror.url],
    upstream: { osv: null, alpineSecdb: null },
    http: { caFile: tls.certFile },
    workDir: join(scratch, 'work'),
    download: { retryDelayMs: 1 },
    ...extra,
  };
}

async function counts(db: Database): Promise<Record<string, number>> {
  const status = await (await createVulnDbReader(db)).status();
  return Object.fromEntries(status.ecosystems.map((entry) => [entry.ecosystem, entry.advisories]));
}

/** Distinct advisories per ecosystem base in the records, as the fixture files say. */
function expectedCounts(list: readonly FixtureRecord[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const record of list.filter((r) => !r.withdrawn))
    for (const ecosystem of record.ecosystems) result[ecosystem] = (result[ecosystem] ?? 0) + 1;
  return result;
}

/** `base/release/name` of every package a record names, as lookups key them. */
function packagesOf(record: FixtureRecord): string[] {
  const parsed = JSON.parse(record.text) as {
    affected?: Array<{ package?: { ecosystem: string; name: string } }>;
  };
  return (parsed.affected ?? []).flatMap(({ package: pkg }) => {
    if (!pkg) return [];
    const { base, releaseKey } = splitEcosystem(pkg.ecosystem);
    return [`${base}/${releaseKey}/${packageNameKey(base, pkg.name)}`];
  });
}

describe('updateVulnDb from an https mirror of the OSV export', () => {
  let db: Database;
  let older: FixtureRecord[];
  let newer: FixtureRecord[];
  before(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    // The first publication: the older half of each ecosystem's records.
    const median = new Map<string, number>();
    for (const ecosystem of ECOSYSTEMS) {
      const times = records
        .filter((record) => record.ecosystems[0] === ecosystem)
        .map((record) => Date.parse(record.modified))
        .sort((a, b) => a - b);
      median.set(ecosystem, times[Math.floor((times.length - 1) / 2)] ?? 0);
    }
    const isOlder = (record: FixtureRecord) =>
      Date.parse(record.modified) <= (median.get(record.ecosystems[0] ?? '') ?? 0);
    older = records.filter(isOlder);
    newer = records.filter((record) => !isOlder(record));
  });
  after(() => db.close());

  it('loads every ecosystem from all.zip, records version 1 and the newest modified as cursor', async () => {
    const mirror = await startMirror(buildExport(older), tls);
    try {
      const report = await updateVulnDb(db, options(mirror));
      assert.equal(report.version.version, 1);
      assert.deepEqual(
        report.sources.map((s) => s.mode),
        ['full', 'full', 'full'],
      );
      assert.equal(report.changedPackages, null, 'a full load: any verdict may have changed');
      assert.ok(mirror.requests.some((r) => r.path === 'Debian/all.zip'));
      const status = await readDataStatus(db);
      assert.equal(status.current?.version, 1);
      const debian = status.sources.find((s) => s.source === 'osv:Debian');
      const newestDebian = older
        .filter((r) => r.ecosystems.includes('Debian'))
        .map((r) => r.modified)
        .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
      assert.equal(debian?.cursor, newestDebian);
      assert.equal(debian?.lastError, null);
      const all = expectedCounts(older);
      assert.deepEqual(
        await counts(db),
        Object.fromEntries(Object.keys(await counts(db)).map((k) => [k, all[k]])),
      );
      assert.equal(status.current?.advisories, older.filter((r) => !r.withdrawn).length);
    } finally {
      await mirror.close();
    }
  });

  it('then imports only the records modified after the cursor, each fetched alone', async () => {
    const mirror = await startMirror(buildExport(records), tls);
    try {
      const report = await updateVulnDb(db, options(mirror));
      assert.ok(newer.length > 0);
      assert.equal(report.version.version, 2);
      assert.ok(!mirror.requests.some((r) => r.path.endsWith('all.zip')), 'no zip on an incremental update');
      const fetched = mirror.requests
        // The CVE List probe (cvelistV5/) is not an OSV record.
        .filter((r) => !r.path.endsWith('.csv') && !r.path.startsWith('cvelistV5/'))
        .map((r) => r.path.split('/')[1]);
      // A record may be newer than the cursor of one of its ecosystems only: never an older one.
      for (const id of fetched)
        assert.ok(
          newer.some((r) => `${r.id}.json` === id),
          `${id} is newer than the cursor`,
        );
      const imported = report.sources.reduce((sum, s) => sum + (s.counts?.imported ?? 0), 0);
      assert.equal(new Set(fetched).size >= imported, true);
      const changed = new Set(report.changedPackages?.map((p) => `${p.ecosystem}/${p.release}/${p.name}`));
      const named = newer
        .filter((r) => !r.withdrawn && fetched.includes(`${r.id}.json`))
        .flatMap((r) => packagesOf(r));
      assert.ok(named.length > 0);
      for (const key of named) assert.ok(changed.has(key), `${key} is listed as changed`);
      assert.equal(
        (await readDataStatus(db)).current?.advisories,
        records.filter((r) => !r.withdrawn).length,
      );
    } finally {
      await mirror.close();
    }
  });
});

describe('updateVulnDb that fails leaves the previous version serving', () => {
  let db: Database;
  before(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    const mirror = await startMirror(
      buildExport(records.filter((r) => r.ecosystems.includes('Debian'))),
      tls,
    );
    try {
      await updateVulnDb(db, options(mirror, { ecosystems: ['Debian'] }));
    } finally {
      await mirror.close();
    }
  });
  after(() => db.close());

  async function assertUnchanged(before: Record<string, number>): Promise<void> {
    assert.deepEqual(await counts(db), before);
    assert.equal((await readDataStatus(db)).current?.version, 1);
  }

  it('a corrupt all.zip: rolled back, UPDATE_FAILED naming the zip, error recorded', async () => {
    const previous = await counts(db);
    const files = buildExport(records);
    const zip = files.get('npm/all.zip') ?? new Uint8Array();
    // The first member's compressed bytes overwritten: the zip's structure stays, its data does not inflate.
    const corrupt = Uint8Array.from(zip);
    corrupt.fill(0xff, 60, Math.min(corrupt.length - 100, 400));
    files.set('npm/all.zip', corrupt);
    const mirror = await startMirror(files, tls);
    try {
      await assert.rejects(
        updateVulnDb(db, options(mirror, { ecosystems: ['Go', 'npm'] })),
        (error: unknown) => {
          assert.ok(isCustomsError(error, 'UPDATE_FAILED'), String(error));
          assert.match((error as Error).message, /npm\/all\.zip|MD5|inflate|invalid/i);
          return true;
        },
      );
      await assertUnchanged(previous);
      const state = (await readDataStatus(db)).sources.find((s) => s.source === 'osv:npm');
      assert.ok(state?.lastError);
      assert.equal(state?.lastSuccess, null);
    } finally {
      await mirror.close();
    }
  });

  it('a server that dies mid-download: resumed with Range while it comes back, else rolled back', async () => {
    const files = buildExport(records);
    const mirror = await startMirror(files, tls);
    try {
      mirror.breakAfter('Go/all.zip', 1000, 1);
      const resumed = await updateVulnDb(db, options(mirror, { ecosystems: ['Go'] }));
      assert.equal(resumed.version.version, 2);
      assert.ok(mirror.requests.some((r) => r.path === 'Go/all.zip' && r.range === 'bytes=1000-'));
      const previous = await counts(db);
      mirror.breakAfter('npm/all.zip', 500, 10);
      await assert.rejects(
        updateVulnDb(
          db,
          options(mirror, { ecosystems: ['npm'], download: { attempts: 3, retryDelayMs: 1 } }),
        ),
        (error: unknown) => {
          assert.ok(isCustomsError(error, 'UPDATE_FAILED'));
          assert.match((error as Error).message, /npm\/all\.zip.*after 3 attempts/);
          return true;
        },
      );
      assert.deepEqual(await counts(db), previous);
      assert.equal((await readDataStatus(db)).current?.version, 2);
    } finally {
      await mirror.close();
    }
  });
});
