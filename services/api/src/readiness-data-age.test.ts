import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { updateVulnDb } from '@customs/vulndb';
import { buildExport, readRecords, selfSignedCertificate, startMirror } from '@customs/vulndb/testing';
import request from 'supertest';
import { startHarness, type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';

// Real Debian records (test/fixtures/osv/debian, see its SOURCES.md), served by a loopback mirror.
const DEBIAN = fileURLToPath(new URL('../../../test/fixtures/osv/debian', import.meta.url));
const UPDATED_AT = new Date('2026-03-01T00:00:00Z');
const hoursLater = (hours: number) => () => new Date(UPDATED_AT.getTime() + hours * 3_600_000);

describe('/readyz with vulnData.maxAgeHours', () => {
  let harness: Harness;
  let scratch: string;
  before(async () => {
    harness = await startHarness('pglite');
    scratch = await mkdtemp(join(tmpdir(), 'customs-api-readyz-'));
  });
  after(async () => {
    await harness.close();
    await rm(scratch, { recursive: true, force: true });
  });

  async function readiness(now: () => Date, maxAgeHours?: number) {
    const app = harness.app({ now, ...(maxAgeHours !== undefined && { vulnData: { maxAgeHours } }) });
    const response = await request(app).get('/readyz');
    assertContract('getReadiness', response.status as 200, response.body);
    return response;
  }

  it('is degraded (still 200) before any data version, naming what to run', async () => {
    const response = await readiness(hoursLater(0), 24);
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'degraded');
    assert.deepEqual(response.body.down, []);
    assert.equal(response.body.checks.data.ok, false);
    assert.match(response.body.checks.data.error, /no vulnerability data version yet: run customs db update/);
  });

  it('is ready while the data is younger than the limit, degraded once it is older', async () => {
    const tls = await selfSignedCertificate(scratch);
    const mirror = await startMirror(buildExport(await readRecords(DEBIAN)), tls);
    try {
      await updateVulnDb(harness.db, {
        ecosystems: ['Debian'],
        mirrors: [mirror.url],
        upstream: { osv: null, alpineSecdb: null },
        http: { caFile: tls.certFile },
        workDir: join(scratch, 'work'),
        now: () => UPDATED_AT,
      });
    } finally {
      await mirror.close();
    }
    const fresh = await readiness(hoursLater(23), 24);
    assert.equal(fresh.status, 200);
    assert.deepEqual(fresh.body, {
      status: 'ready',
      checks: { postgres: { ok: true }, redis: { ok: true }, data: { ok: true } },
      down: [],
    });
    const stale = await readiness(hoursLater(30), 24);
    assert.equal(stale.status, 200);
    assert.equal(stale.body.status, 'degraded');
    assert.match(stale.body.checks.data.error, /data version 1 is 30\.0 h old, over the 24 h limit/);
    // No limit configured: the data's age is not part of readiness.
    const unchecked = await readiness(hoursLater(30));
    assert.deepEqual(unchecked.body, {
      status: 'ready',
      checks: { postgres: { ok: true }, redis: { ok: true } },
      down: [],
    });
  });
});
