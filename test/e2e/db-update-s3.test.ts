// `customs db update` from a real S3 server: Ceph's RADOS Gateway on loopback (test/support/ceph-rgw.sh),
// holding OSV exports built from the real records of test/fixtures/osv, reached through a TCP relay that
// logs each request and can break a response part-way. The same records come from s3:// as from an
// https mirror; an incremental update fetches only the records newer than the cursor; a corrupt zip and
// a gateway killed mid-download leave the previous data version serving, with the error in one line.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openDatabase } from '@customs/db';
import {
  buildExport,
  readRecords,
  selfSignedCertificate,
  startMirror,
  type ExportFiles,
  type FixtureRecord,
  type MirrorServer,
} from '@customs/vulndb/testing';
import { cephMissing, startCephRgw, type CephRgw } from '../support/ceph-rgw.js';
import { runCustoms } from '../support/customs-cli.js';
import { startHttpRelay, type HttpRelay } from '../support/http-relay.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';

const ECOSYSTEMS = ['Debian', 'Go', 'npm'];
const BUCKET = 'customs-osv';

describe('customs db update from s3:// on a real Ceph RADOS Gateway', { skip: cephMissing() }, () => {
  let scratch = '';
  let rgw: CephRgw;
  let relay: HttpRelay;
  let s3: S3Client;
  let https: MirrorServer;
  let httpsCa = '';
  let records: FixtureRecord[];
  let older: FixtureRecord[];
  let newer: FixtureRecord[];

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'customs-e2e-dbs3-'));
    records = (await readRecords(OSV_FIXTURES)).filter((r) =>
      r.ecosystems.some((e) => ECOSYSTEMS.includes(e)),
    );
    // The first publication holds the older half (by modified time) of the records, and at least the
    // oldest record of each ecosystem (so each has a cursor afterwards).
    const times = records.map((r) => Date.parse(r.modified)).sort((a, b) => a - b);
    const oldestPerEcosystem = ECOSYSTEMS.map((e) =>
      Math.min(...records.filter((r) => r.ecosystems.includes(e)).map((r) => Date.parse(r.modified))),
    );
    const cut = Math.max(times[Math.floor((times.length - 1) / 2)] ?? 0, ...oldestPerEcosystem);
    older = records.filter((r) => Date.parse(r.modified) <= cut);
    newer = records.filter((r) => Date.parse(r.modified) > cut);
    const tls = await selfSignedCertificate(scratch);
    httpsCa = tls.certFile;
    https = await startMirror(buildExport(records), tls);
    rgw = await startCephRgw(join(scratch, 'ceph'));
    relay = await startHttpRelay({ host: '127.0.0.1', port: Number(new URL(rgw.endpoint).port) });
    s3 = new S3Client({
      endpoint: rgw.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: rgw.credentials,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await upload('full', buildExport(records));
    await upload('full/cvelistV5', await cveListFiles());
  });
  after(async () => {
    s3?.destroy();
    await relay?.close();
    await rgw?.stop();
    await https?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  async function upload(prefix: string, files: ExportFiles): Promise<void> {
    const entries = [...files];
    for (let i = 0; i < entries.length; i += 16)
      await Promise.all(
        entries
          .slice(i, i + 16)
          .map(([path, body]) =>
            s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${path}`, Body: body })),
          ),
      );
  }

  /** `customs db update` into `dbDir` from one mirror, nothing upstream, with a cache of its own. */
  function update(dbDir: string, mirror: string, ecosystems = ECOSYSTEMS) {
    return runCustoms(
      [
        'db',
        'update',
        '--db-dir',
        dbDir,
        '--mirror',
        mirror,
        '--no-upstream',
        ...ecosystems.flatMap((e) => ['--ecosystem', e]),
      ],
      {
        env: {
          XDG_CACHE_HOME: join(scratch, 'cache'),
          NODE_EXTRA_CA_CERTS: httpsCa,
          AWS_ENDPOINT_URL: relay.url,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: rgw.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: rgw.credentials.secretAccessKey,
        },
      },
    );
  }

  /** Every stored advisory as `id@modified`, read from the database directory the CLI wrote. */
  async function storedRecords(dbDir: string): Promise<string[]> {
    const db = await openDatabase({ dataDir: dbDir });
    try {
      const rows = await db.query<{ id: string; modified: string }>(
        `select id, modified::text as modified from vulndb_advisories order by id`,
      );
      return rows.map((row) => `${row.id}@${row.modified}`);
    } finally {
      await db.close();
    }
  }

  async function dataStatus(dbDir: string) {
    const status = await runCustoms(['db', 'status', '--db-dir', dbDir, '--format', 'json']);
    assert.equal(status.code, 0, status.stderr);
    return JSON.parse(status.stdout) as {
      advisories: number;
      dataVersion: { version: number } | null;
      sources: Array<{ source: string; lastError: string | null }>;
    };
  }

  /** The S3 objects the relay saw asked for under `prefix`, relative to it. */
  function fetched(prefix: string, since: number): RelayRequestPaths {
    const root = `/${BUCKET}/${prefix}/`;
    return relay.requests
      .slice(since)
      .filter((r) => r.method === 'GET' && r.path.startsWith(root))
      .map((r) => ({ path: r.path.slice(root.length), range: r.range }));
  }
  type RelayRequestPaths = Array<{ path: string; range: string | null }>;

  test('s3:// imports the same records as the https mirror; a connection broken mid-zip resumes with a Range', async () => {
    const viaHttps = join(scratch, 'db-https');
    const fromHttps = await update(viaHttps, https.url);
    assert.equal(fromHttps.code, 0, fromHttps.stderr);

    const viaS3 = join(scratch, 'db-s3');
    const since = relay.requests.length;
    relay.breakAfter(`/${BUCKET}/full/Go/all.zip`, 4000);
    const fromS3 = await update(viaS3, `s3://${BUCKET}/full`);
    assert.equal(fromS3.code, 0, fromS3.stderr);
    assert.match(fromS3.stdout, /data version 1: /);
    // The mirror's cvelistV5/ rates two unrated Go records (CVE-2024-21626 by its CNA, CVE-2024-24790 by CISA's ADP).
    assert.match(
      fromS3.stdout,
      /severities: 2 of \d+ CVE List records asked rate their flaw \(s3:\/\/customs-osv\/full\/cvelistV5\)/,
    );
    const zips = fetched('full', since).filter((r) => r.path === 'Go/all.zip');
    assert.equal(zips.length, 2, 'the broken transfer and its resumption');
    assert.match(zips[1]?.range ?? '', /^bytes=[1-9]\d*-$/, 'resumed from the bytes already on disk');

    const stored = await storedRecords(viaS3);
    assert.equal(stored.length, new Set(records.filter((r) => !r.withdrawn).map((r) => r.id)).size);
    assert.deepEqual(stored, await storedRecords(viaHttps));
  });

  test('an incremental update fetches and imports only the records modified after the cursor', async () => {
    const dbDir = join(scratch, 'db-incremental');
    assert.ok(newer.length > 0 && older.length > 0, 'both publications hold records');
    await upload('incremental', buildExport(older));
    const first = await update(dbDir, `s3://${BUCKET}/incremental`);
    assert.equal(first.code, 0, first.stderr);
    assert.equal((await storedRecords(dbDir)).length, older.filter((r) => !r.withdrawn).length);

    await upload('incremental', buildExport(records));
    const since = relay.requests.length;
    const second = await update(dbDir, `s3://${BUCKET}/incremental`);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /data version 2: /);
    const asked = fetched('incremental', since).map((r) => r.path);
    assert.ok(
      !asked.some((path) => path.endsWith('all.zip')),
      `no zip on an incremental update: ${asked.join(', ')}`,
    );
    const expectedRecords = newer.flatMap((r) =>
      r.ecosystems.filter((e) => ECOSYSTEMS.includes(e)).map((e) => `${e}/${r.id}.json`),
    );
    assert.deepEqual(
      asked.filter((path) => path.endsWith('.json') && !path.startsWith('cvelistV5/')).sort(),
      expectedRecords.sort(),
    );
    const imported = tableColumn(second.stdout, 'IMPORTED') + tableColumn(second.stdout, 'UPDATED');
    assert.equal(imported, newer.filter((r) => !r.withdrawn).length);
    assert.deepEqual(await storedRecords(dbDir), await storedRecords(join(scratch, 'db-https')));
  });

  test('a corrupt zip, then a gateway killed mid-download: the previous version serves, one clear line', async () => {
    const dbDir = join(scratch, 'db-failures');
    const seeded = await update(dbDir, `s3://${BUCKET}/full`, ['Debian']);
    assert.equal(seeded.code, 0, seeded.stderr);
    const before = await storedRecords(dbDir);
    assert.ok(before.length > 0);

    const files = buildExport(records);
    const zip = files.get('npm/all.zip') ?? new Uint8Array();
    // The first member's compressed bytes overwritten: the zip's structure stays, its data does not inflate.
    const corrupt = Uint8Array.from(zip);
    corrupt.fill(0xff, 60, Math.min(corrupt.length - 100, 400));
    files.set('npm/all.zip', corrupt);
    await upload('corrupt', files);
    const broken = await update(dbDir, `s3://${BUCKET}/corrupt`, ['Debian', 'npm']);
    assertFailedUpdate(broken.code, broken.stderr, /npm\/all\.zip|inflate|invalid/i);
    assert.deepEqual(await storedRecords(dbDir), before);
    let status = await dataStatus(dbDir);
    assert.equal(status.dataVersion?.version, 1);
    assert.ok(status.sources.find((s) => s.source === 'osv:npm')?.lastError, 'the error is recorded');

    relay.breakAfter(`/${BUCKET}/full/Go/all.zip`, 4000, () => rgw.killGateway());
    const died = await update(dbDir, `s3://${BUCKET}/full`, ['Debian', 'Go']);
    assertFailedUpdate(died.code, died.stderr, /Go\/all\.zip.*after 4 attempts/);
    assert.deepEqual(await storedRecords(dbDir), before);
    status = await dataStatus(dbDir);
    assert.equal(status.dataVersion?.version, 1);
    assert.equal(status.advisories, before.length);
  });
});

/** test/fixtures/cvelistV5 (real CVE List 5 records, see SOURCES.md), keyed by path in that layout. */
async function cveListFiles(): Promise<ExportFiles> {
  const root = join(OSV_FIXTURES, '..', 'cvelistV5');
  const files: ExportFiles = new Map();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile())
      files.set(
        relative(root, join(entry.parentPath, entry.name)),
        await readFile(join(entry.parentPath, entry.name)),
      );
  return files;
}

function assertFailedUpdate(code: number | null, stderr: string, cause: RegExp): void {
  assert.equal(code, 1, stderr);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0] ?? '', /previous data version|UPDATE_FAILED|update failed/i);
  assert.match(lines[0] ?? '', cause);
}

/** The sum of one numeric column of the update report's table. */
function tableColumn(output: string, name: string): number {
  const lines = output.split('\n');
  const header = lines.findIndex((line) => line.includes('SOURCE') && line.includes(name));
  const columns = (lines[header] ?? '').trim().split(/\s{2,}/);
  const index = columns.indexOf(name);
  return lines
    .slice(header + 1)
    .filter((line) => line.startsWith('osv:'))
    .reduce((sum, line) => sum + (Number(line.trim().split(/\s{2,}/)[index]) || 0), 0);
}
