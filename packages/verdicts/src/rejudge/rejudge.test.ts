import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '@customs/db';
import type { IndexedImage } from '@customs/indexer';
import type { Package } from '@customs/inventory';
import { openStore, type Store, type VerdictChange } from '@customs/store';
import { createVulnDbReader, importAdvisories, type ImportResult } from '@customs/vulndb';
import type { Policy } from '@customs/policy';
import { createDataVersionSource } from '../data-version.js';
import { policySummary } from '../policy-summary.js';
import { digestsToRejudge } from './plan-rejudge.js';
import { createRejudger, type Rejudger } from './rejudge-images.js';

// Real advisories (test/fixtures/osv, see its SOURCES.md): express at MODERATE, jsonwebtoken at HIGH.
const OSV = fileURLToPath(new URL('../../../../test/fixtures/osv/', import.meta.url));
const EXPRESS = 'npm/GHSA-qw6h-vgh9-j6wx.json';
const JSONWEBTOKEN = 'npm/GHSA-27h2-hvpr-p74q.json';

/** Generated inventories (not real images): npm packages at versions the advisories cover. */
function npm(name: string, version: string): Package {
  return {
    type: 'npm',
    name,
    version,
    purl: `pkg:npm/${name}@${version}`,
    source: null,
    ownedBy: null,
    path: `app/node_modules/${name}/package.json`,
    layer: 'sha256:layer',
  };
}

function image(digest: string, packages: Package[]): IndexedImage {
  return {
    reference: `registry.local/team/app@${digest}`,
    manifestDigest: digest,
    platform: { os: 'linux', architecture: 'amd64' },
    distro: null,
    layers: [{ digest: 'sha256:layer', createdBy: 'npm ci' }],
    packages,
    warnings: [],
    incomplete: [],
    imageConfig: null,
  };
}

const POLICY: Policy = { failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] };

const digest = (n: number) => `sha256:${String(n).repeat(64)}`;
const WITH_JWT = digest(1);
const EXPRESS_ONLY = digest(2);
const UNRELATED = digest(3);

async function importRecord(db: Database, file: string): Promise<ImportResult> {
  const dir = await mkdtemp(join(tmpdir(), 'customs-rejudge-osv-'));
  try {
    await copyFile(join(OSV, file), join(dir, file.replaceAll('/', '_')));
    return await importAdvisories(db, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('re-judging after a vulnerability-data change (PGlite)', () => {
  let db: Database;
  let store: Store;
  let rejudger: Rejudger;
  const hooked: VerdictChange[] = [];

  before(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    store = await openStore(db);
    const where = { registry: 'registry.local', repository: 'team/app' };
    const extra = { configDigest: null, analyzers: ['npm'] };
    await store.images.save(
      image(WITH_JWT, [npm('express', '4.12.4'), npm('jsonwebtoken', '8.5.1')]),
      where,
      extra,
    );
    await store.images.save(image(EXPRESS_ONLY, [npm('express', '4.12.4')]), where, extra);
    await store.images.save(image(UNRELATED, [npm('left-pad', '1.3.0')]), where, extra);
    await importRecord(db, EXPRESS);
    const reader = await createVulnDbReader(db);
    rejudger = createRejudger({
      store,
      reader,
      policy: POLICY,
      dataVersion: createDataVersionSource(reader, { pollMs: 0, clock: () => 0, onError: () => undefined }),
      now: () => new Date(),
      onVerdictChange: (change) => void hooked.push(change),
    });
  });
  after(() => db.close());

  it('records the first verdict of each image as a baseline, never as a change', async () => {
    const outcome = await rejudger.judge([WITH_JWT, EXPRESS_ONLY, UNRELATED], 'scan');
    assert.deepEqual(outcome, { judged: 3, baselines: 3, changes: [] });
    assert.equal(hooked.length, 0);
    const verdicts = [];
    for (const digest of [WITH_JWT, EXPRESS_ONLY, UNRELATED])
      verdicts.push((await store.verdictRecords.last(digest, policySummary(POLICY).id))?.verdict);
    assert.deepEqual(verdicts, ['warn', 'warn', 'pass']);
  });

  it('one advisory added: exactly the image with that package is judged again, and one change recorded', async () => {
    const report = await importRecord(db, JSONWEBTOKEN);
    assert.deepEqual(report.changedPackages, [{ ecosystem: 'npm', release: null, name: 'jsonwebtoken' }]);
    const digests = await digestsToRejudge(report.changedPackages, store.judgedImages);
    assert.deepEqual(digests, [WITH_JWT], 'express-only and unrelated images are not judged');
    const outcome = await rejudger.judge(digests, 'data-update');
    assert.equal(outcome.judged, 1);
    assert.equal(outcome.changes.length, 1);
    const [change] = outcome.changes;
    assert.equal(change?.digest, WITH_JWT);
    assert.equal(change?.repository, 'team/app');
    assert.equal(change?.oldVerdict, 'warn');
    assert.equal(change?.newVerdict, 'fail');
    assert.equal(change?.cause, 'data-update');
    assert.match(change?.dataVersion ?? '', /\+2$/, 'judged with both advisories');
    const [reason] = change?.reasons as Array<{ code: string; findings: Array<{ package: string }> }>;
    assert.equal(reason?.code, 'FAIL_ON');
    assert.deepEqual(
      reason?.findings.map((finding) => finding.package),
      ['jsonwebtoken'],
    );
    assert.deepEqual(hooked, outcome.changes, 'the hook heard the change once');
    assert.deepEqual(await store.verdictRecords.changes(WITH_JWT, 10), outcome.changes);
    assert.deepEqual(await store.verdictRecords.changes(EXPRESS_ONLY, 10), []);
    assert.equal((await store.verdictRecords.last(WITH_JWT, change?.policyId ?? ''))?.verdict, 'fail');
  });

  it('judging again with unchanged data records no change', async () => {
    const outcome = await rejudger.judge([WITH_JWT], 'data-update');
    assert.deepEqual(outcome.changes, []);
    assert.equal(hooked.length, 1);
  });

  it('an unknown change set (a full load) judges every image', async () => {
    assert.deepEqual(await digestsToRejudge(null, store.judgedImages), [WITH_JWT, EXPRESS_ONLY, UNRELATED]);
  });
});
