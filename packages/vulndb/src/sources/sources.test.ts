import assert from 'node:assert/strict';
import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Database } from '@customs/db';
import { isCustomsError } from '@customs/errors';
import { Zip, ZipDeflate } from 'fflate';
import S3rver from 's3rver';
import { importAdvisories } from '../import/import-advisories.js';
import { createTestBackends, OSV_FIXTURES, type TestBackends } from '../test-backends.js';

let setup: TestBackends;
let db: Database;
let scratch: string;
let zipBytes: Uint8Array;
let npmCount: number;

before(async () => {
  setup = await createTestBackends();
  const pglite = setup.backends.find((backend) => backend.kind === 'pglite');
  assert.ok(pglite);
  db = await pglite.open();
  scratch = await mkdtemp(join(tmpdir(), 'customs-sources-'));
  const npm = (await readdir(join(OSV_FIXTURES, 'npm'))).sort();
  npmCount = npm.length;
  zipBytes = await buildZip(
    await Promise.all(
      npm.map(async (name) => [name, await readFile(join(OSV_FIXTURES, 'npm', name))] as const),
    ),
  );
});
after(async () => {
  await setup.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/**
 * An OSV-style `npm/all.zip` built here from the real npm records, with fflate's streaming Zip: it
 * writes data descriptors (sizes after the data), the harder case for a streaming reader.
 */
function buildZip(files: ReadonlyArray<readonly [string, Uint8Array]>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      chunks.push(chunk);
      if (final) resolve(Buffer.concat(chunks));
    });
    for (const [name, data] of files) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(data, true);
    }
    zip.end();
  });
}

describe('cancelling', () => {
  it('stops with IMPORT_ABORTED when the signal has fired', async () => {
    await assert.rejects(
      importAdvisories(db, join(OSV_FIXTURES, 'npm'), { signal: AbortSignal.abort() }),
      (error) => isCustomsError(error, 'IMPORT_ABORTED'),
    );
  });
});

describe('zip import', () => {
  it('imports every record of an all.zip file, streamed', async () => {
    const path = join(scratch, 'all.zip');
    await writeFile(path, zipBytes);
    const report = await importAdvisories(db, path);
    assert.deepEqual(
      report.ecosystems.map((entry) => [entry.ecosystem, entry.imported, entry.invalid]),
      [['npm', npmCount, 0]],
    );
    assert.equal(report.invalid.length, 0);
  });
});

describe('https import', () => {
  let server: Server;
  let base: string;
  let failuresLeft = 0;
  let requests = 0;
  before(async () => {
    server = createServer((request, response) => {
      requests += 1;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        response.writeHead(503).end('busy');
        return;
      }
      if (request.url === '/npm/all.zip') {
        response.writeHead(200, {
          'content-type': 'application/zip',
          'last-modified': 'Wed, 01 May 2024 10:00:00 GMT',
        });
        // Sent in small pieces so the unzipper sees members split across chunks.
        for (let offset = 0; offset < zipBytes.length; offset += 1000)
          response.write(zipBytes.subarray(offset, offset + 1000));
        response.end();
        return;
      }
      response.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('streams a zip from a loopback server, retrying 5xx answers', async () => {
    failuresLeft = 2;
    requests = 0;
    const fresh = await setup.backends.find((backend) => backend.kind === 'pglite')?.open();
    assert.ok(fresh);
    const report = await importAdvisories(fresh, `${base}/npm/all.zip`, {
      http: { allowLoopbackHttp: true, retryDelayMs: 10 },
    });
    assert.equal(requests, 3);
    assert.equal(report.totals.imported, npmCount);
    assert.equal(report.source, `${base}/npm/all.zip`);
  });

  it('gives up with DOWNLOAD_FAILED on a 404, without retrying', async () => {
    requests = 0;
    await assert.rejects(
      importAdvisories(db, `${base}/nope.zip`, { http: { allowLoopbackHttp: true, retryDelayMs: 10 } }),
      (error) => {
        assert.ok(isCustomsError(error, 'DOWNLOAD_FAILED'));
        assert.match(error.message, /HTTP 404/);
        return true;
      },
    );
    assert.equal(requests, 1);
  });

  it('refuses plain http unless the loopback test option is set', async () => {
    await assert.rejects(importAdvisories(db, `${base}/npm/all.zip`), (error) =>
      isCustomsError(error, 'SOURCE_UNSUPPORTED'),
    );
  });
});

describe('s3 import (s3rver on loopback)', () => {
  let s3rver: S3rver;
  let endpoint: string;
  before(async () => {
    s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(scratch, 's3rver') });
    const address = await s3rver.run();
    endpoint = `http://127.0.0.1:${address.port}`;
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await client.send(new CreateBucketCommand({ Bucket: 'osv' }));
    // Records as single objects (JSON and PyPA YAML) and an ecosystem zip, under one prefix.
    const put = (key: string, body: Uint8Array) =>
      client.send(new PutObjectCommand({ Bucket: 'osv', Key: key, Body: body }));
    await put('mirror/go/GO-2022-0956.json', await readFile(join(OSV_FIXTURES, 'go/GO-2022-0956.json')));
    await put('mirror/pypi/PYSEC-2008-1.yaml', await readFile(join(OSV_FIXTURES, 'pypi/PYSEC-2008-1.yaml')));
    await put('mirror/npm/all.zip', zipBytes);
    await put('elsewhere/go/GO-2022-0515.json', await readFile(join(OSV_FIXTURES, 'go/GO-2022-0515.json')));
    client.destroy();
  });
  after(() => s3rver.close());

  it('imports every record and zip under the prefix, and nothing outside it', async () => {
    const fresh = await setup.backends.find((backend) => backend.kind === 'pglite')?.open();
    assert.ok(fresh);
    const report = await importAdvisories(fresh, 's3://osv/mirror/', {
      s3: { endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
    });
    assert.deepEqual(
      report.ecosystems.map((entry) => [entry.ecosystem, entry.imported]),
      [
        ['Go', 1],
        ['PyPI', 1],
        ['npm', npmCount],
      ],
    );
    assert.deepEqual(await fresh.query(`select id from vulndb_advisories where id like 'GO-%'`), [
      { id: 'GO-2022-0956' },
    ]);
  });

  it('reports an unreachable bucket as SOURCE_UNREADABLE', async () => {
    await assert.rejects(
      importAdvisories(db, 's3://no-such-bucket/x', {
        s3: { endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
      }),
      (error) => isCustomsError(error, 'SOURCE_UNREADABLE'),
    );
  });
});

describe('Alpine secdb import', () => {
  it('converts the secdb files into ALPINE-<CVE> records per OSV.dev', async () => {
    const fresh = await setup.backends.find((backend) => backend.kind === 'pglite')?.open();
    assert.ok(fresh);
    const report = await importAdvisories(fresh, join(OSV_FIXTURES, 'alpine-secdb'));
    // 1,937 CVE ids in the three files, 5 only under fix versions apk cannot read (see import test).
    assert.deepEqual(
      report.ecosystems.map((entry) => [entry.ecosystem, entry.imported, entry.invalid]),
      [['Alpine', 1932, 0]],
    );
    // 46 secfixes ids are not CVEs (XSA-*, "CVE-????-?????", typos). Five fix versions are not apk
    // versions: the four OSV.dev's own version check rejects (xen "4.10-1-r1" twice, python2
    // "2.7.16-33", phpmyadmin "4.8.0.-r1") and opensmtpd "6.6.2p1-r0" (suffix without "_").
    assert.equal(report.skipped.filter((skip) => / is not a CVE id$/.test(skip.problem)).length, 46);
    assert.deepEqual(
      report.skipped
        .filter((skip) => / is not an apk version$/.test(skip.problem))
        .map((skip) => skip.problem)
        .sort(),
      [
        'xen: fix version "4.10-1-r1" is not an apk version',
        'opensmtpd: fix version "6.6.2p1-r0" is not an apk version',
        'python2: fix version "2.7.16-33" is not an apk version',
        'xen: fix version "4.10-1-r1" is not an apk version',
        'phpmyadmin: fix version "4.8.0.-r1" is not an apk version',
      ].sort(),
    );
    const rows = await fresh.query<{
      ecosystem: string;
      package_name: string;
      ranges: unknown;
      purl: string;
    }>(
      `select ecosystem, package_name, ranges, purl from vulndb_affected where advisory_id = 'ALPINE-CVE-2019-14904' order by ecosystem`,
    );
    assert.deepEqual(rows, [
      {
        ecosystem: 'Alpine:v3.11',
        package_name: 'ansible',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.9.3-r0' }] }],
        purl: 'pkg:apk/alpine/ansible?arch=source',
      },
    ]);
    const [advisory] = await fresh.query<{ aliases: string[] }>(
      `select aliases from vulndb_advisories where id = 'ALPINE-CVE-2019-14904'`,
    );
    assert.deepEqual(advisory?.aliases, ['CVE-2019-14904']);
    const again = await importAdvisories(fresh, join(OSV_FIXTURES, 'alpine-secdb'));
    assert.deepEqual([again.totals.imported, again.totals.updated, again.totals.unchanged], [0, 0, 1932]);
  });
});
