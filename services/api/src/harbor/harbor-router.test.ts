import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RegistryConfig } from '@customs/config';
import { openDatabase } from '@customs/db';
import type { ScanCredential, ScanCredentialKey, ScanImageJob, ScanQueues } from '@customs/queue';
import { openStore, type Store } from '@customs/store';
import { createVulnDbReader } from '@customs/vulndb';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { assertHarborAnswer } from '../test-support/harbor-spec-check.js';
import type { HarborAdapterDeps } from './harbor-deps.js';
import { createHarborRouter } from './harbor-router.js';
import { MIME } from './media-types.js';
import type { HarborScanRequest, HarborScanRequests } from './scan-requests.js';

// The adapter's answers, each checked against the spec document: what Harbor sends is taken or refused
// with the spec's status and error document, scans are queued (never run here), and the robot
// credential goes to the credential store only.

const TOKEN = 'harbor-test-token';
const HARBOR_REGISTRY: RegistryConfig = {
  host: 'harbor.example:8443',
  aliases: [],
  insecure: false,
  credentials: null,
};
const OTHER_REGISTRY: RegistryConfig = {
  host: 'internal.example',
  aliases: [],
  insecure: false,
  credentials: { username: 'customs', password: 'configured-password' },
};
const DIGEST = `sha256:${'c'.repeat(64)}`;
const ROBOT = 'Basic ' + Buffer.from('robot$library+scan-1:r0b0t-s3cret').toString('base64');

let store: Store;
let app: express.Express;
const jobs: ScanImageJob[] = [];
const credentials = new Map<string, ScanCredential>();
const records = new Map<string, HarborScanRequest>();

before(async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  store = await openStore(db);
  const queues: Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan'> = {
    enqueueScan: async (job) => (jobs.push(job), { jobId: job.digest, added: true }),
    enqueueRescan: async (job) => ({ jobId: job.scanId, added: false }),
  };
  const requests: HarborScanRequests = {
    put: async (id, record) => void records.set(id, record),
    get: async (id) => records.get(id) ?? null,
  };
  const deps: HarborAdapterDeps = {
    harbor: {
      token: TOKEN,
      registries: [HARBOR_REGISTRY.host],
      credentialTtlSeconds: 60,
      requestTtlSeconds: 60,
      refreshAfterSeconds: 7,
    },
    registries: [HARBOR_REGISTRY, OTHER_REGISTRY],
    store,
    queues,
    credentials: {
      put: async (key: ScanCredentialKey, credential) =>
        void credentials.set(JSON.stringify(key), credential),
    },
    requests,
    vulnReader: await createVulnDbReader(db),
    logger: pino({ level: 'silent' }),
    tool: { name: 'Customs', version: '0.1.0' },
    now: () => new Date(),
    redisTimeoutMs: 1_000,
  };
  app = express();
  app.use('/api/v1', createHarborRouter(deps));
});
after(() => store.db.close());

function scanRequest(overrides: Record<string, unknown> = {}) {
  return {
    registry: { url: `https://${HARBOR_REGISTRY.host}`, authorization: ROBOT },
    artifact: {
      repository: 'library/mongo',
      digest: DIGEST,
      tag: '3.14-xenial',
      mime_type: MIME.dockerManifest,
    },
    ...overrides,
  };
}

async function post(body: unknown, contentType: string = MIME.scanRequest) {
  const answer = await request(app)
    .post('/api/v1/scan')
    .set('Authorization', `Bearer ${TOKEN}`)
    .set('Content-Type', contentType)
    .send(typeof body === 'string' ? body : JSON.stringify(body));
  assertHarborAnswer('AcceptScanRequest', answer);
  return answer;
}

async function report(id: string, accept: string, query = '') {
  const answer = await request(app)
    .get(`/api/v1/scan/${id}/report${query}`)
    .set('Authorization', `Bearer ${TOKEN}`)
    .set('Accept', accept);
  assertHarborAnswer('GetScanReport', answer);
  return answer;
}

const message = (answer: { text: string }) =>
  (JSON.parse(answer.text) as { error: { message: string } }).error.message;

describe('Harbor adapter: authentication', () => {
  it('refuses a request without the configured bearer token, saying how to authenticate', async () => {
    for (const authorization of [undefined, 'Bearer nope', `Basic ${TOKEN}`]) {
      const call = request(app).get('/api/v1/metadata');
      const answer = await (authorization ? call.set('Authorization', authorization) : call);
      assert.equal(answer.status, 401);
      assert.equal(answer.headers['www-authenticate'], 'Bearer realm="customs-harbor"');
      assertHarborAnswer('GetMetadata', answer);
    }
  });
});

describe('Harbor adapter: metadata', () => {
  it('answers the version of metadata asked for', async () => {
    for (const [accept, type] of [
      [MIME.metadata, MIME.metadata],
      [MIME.metadataV1_0, MIME.metadataV1_0],
    ] as const) {
      const answer = await request(app)
        .get('/api/v1/metadata')
        .set('Authorization', `Bearer ${TOKEN}`)
        .set('Accept', accept);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['content-type'], type);
      assertHarborAnswer('GetMetadata', answer);
    }
  });
});

describe('Harbor adapter: scan requests', () => {
  it('queues the scan and keeps the robot credential for the worker only', async () => {
    const answer = await post(scanRequest());
    assert.equal(answer.status, 202);
    const { id } = JSON.parse(answer.text) as { id: string };
    const job = jobs.at(-1);
    assert.deepEqual(
      [job?.registry, job?.repository, job?.digest, job?.tag],
      [HARBOR_REGISTRY.host, 'library/mongo', DIGEST, '3.14-xenial'],
    );
    const stored = credentials.get(
      JSON.stringify({ scanId: job?.scanId, registry: HARBOR_REGISTRY.host, repository: 'library/mongo' }),
    );
    assert.deepEqual(stored, { username: 'robot$library+scan-1', password: 'r0b0t-s3cret' });
    for (const kept of [
      JSON.stringify(jobs),
      JSON.stringify([...records.values()]),
      JSON.stringify(await store.scans.get(job?.scanId ?? '')),
    ]) {
      assert.ok(!kept.includes('r0b0t-s3cret') && !kept.includes(ROBOT.slice(6)), kept);
    }
    assert.deepEqual(records.get(id)?.sbomMediaTypes, [
      'application/spdx+json',
      'application/vnd.cyclonedx+json',
    ]);
  });

  it('answers 400 for a body that is not JSON or holds a value of the wrong type', async () => {
    const cases: Array<[unknown, string?]> = [
      ['{"registry":'],
      [{ registry: 'https://harbor.example', artifact: {} }],
      // Not a scan request's type: nothing is read as one.
      [JSON.stringify(scanRequest()), 'text/plain'],
    ];
    for (const [body, contentType] of cases) {
      const answer = await post(body, contentType);
      assert.equal(answer.status, 400, answer.text);
      assert.match(message(answer), /^REQUEST_INVALID: /);
    }
  });

  it('answers 422 for an invalid field: no digest, a bad digest, an unknown enum value, a Bearer credential', async () => {
    const cases = [
      scanRequest({ artifact: { repository: 'library/mongo' } }),
      scanRequest({ artifact: { repository: 'library/mongo', digest: 'sha256:short' } }),
      scanRequest({ enabled_capabilities: [{ type: 'malware' }] }),
      scanRequest({ registry: { url: `https://${HARBOR_REGISTRY.host}`, authorization: 'Bearer eyJ0eXAi' } }),
      scanRequest({ registry: { url: 'not a url' } }),
    ];
    for (const body of cases) {
      const answer = await post(body);
      assert.equal(answer.status, 422, answer.text);
      assert.ok(!answer.text.includes('eyJ0eXAi'), 'the credential is echoed');
    }
  });

  it('answers 422 for a registry Harbor may not name, even one Customs is configured for', async () => {
    for (const host of ['elsewhere.example', OTHER_REGISTRY.host]) {
      const jobsBefore = jobs.length;
      const answer = await post(scanRequest({ registry: { url: `https://${host}`, authorization: ROBOT } }));
      assert.equal(answer.status, 422);
      assert.match(message(answer), /^REGISTRY_NOT_CONFIGURED: /);
      assert.equal(jobs.length, jobsBefore, 'a job was queued');
    }
  });

  it('answers 501 for an artifact or a report type Customs does not handle', async () => {
    const index = scanRequest({
      artifact: {
        repository: 'library/mongo',
        digest: DIGEST,
        mime_type: 'application/vnd.oci.image.index.v1+json',
      },
    });
    const raw = scanRequest({
      enabled_capabilities: [{ type: 'vulnerability', produces_mime_types: [MIME.rawReport] }],
    });
    for (const body of [index, raw]) assert.equal((await post(body)).status, 501);
  });
});

describe('Harbor adapter: reports', () => {
  it('answers 302 with Refresh-After while the scan waits, then the scan’s error once it failed', async () => {
    const { id } = JSON.parse((await post(scanRequest())).text) as { id: string };
    const waiting = await report(id, MIME.vulnerabilityReport);
    assert.equal(waiting.status, 302);
    assert.equal(waiting.headers['refresh-after'], '7');
    assert.equal(waiting.headers.location, `/api/v1/scan/${id}/report`);
    const scanId = records.get(id)?.scanId ?? '';
    await store.scans.failed(
      scanId,
      { code: 'REGISTRY_AUTH_FAILED', message: 'the registry refused robot$x' },
      true,
    );
    const failed = await report(id, MIME.vulnerabilityReport);
    assert.equal(failed.status, 500);
    assert.match(message(failed), /REGISTRY_AUTH_FAILED: the registry refused robot\$x/);
  });

  it('answers 500 with the error document, not a clean report, for a scan that could not read what it needed', async () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const answer = await post(scanRequest({ artifact: { ...scanRequest().artifact, digest } }));
    const { id } = JSON.parse(answer.text) as { id: string };
    const scanId = records.get(id)?.scanId ?? '';
    const unread = {
      layer: `sha256:${'4'.repeat(64)}`,
      path: 'var/lib/dpkg/status',
      code: 'FILE_TOO_LARGE' as const,
      reason:
        'var/lib/dpkg/status: skipped, 1073741824 bytes is more than the 67108864 bytes the dpkg analyzer reads',
    };
    const image = {
      reference: `${HARBOR_REGISTRY.host}/library/mongo@${digest}`,
      manifestDigest: digest,
      platform: null,
      distro: null,
      layers: [],
      packages: [],
      warnings: [],
      incomplete: [unread],
      imageConfig: null,
    };
    const where = { registry: HARBOR_REGISTRY.host, repository: 'library/mongo' };
    await store.scans.finished(scanId, {
      images: [{ image, where, extra: { configDigest: null, analyzers: [] } }],
    });
    const incomplete = await report(id, MIME.vulnerabilityReport);
    assert.equal(incomplete.status, 500);
    assert.match(
      message(incomplete),
      /^REPORT_INCOMPLETE: .*var\/lib\/dpkg\/status: skipped.*\[FILE_TOO_LARGE\]/,
    );
  });

  it('answers 404 without a body for an unknown id and for a report the request did not enable', async () => {
    assert.equal(
      (await report('3fa85f64-5717-4562-b3fc-2c963f66afa6', MIME.vulnerabilityReport)).status,
      404,
    );
    const sbomOnly = scanRequest({
      enabled_capabilities: [{ type: 'sbom', parameters: { sbom_media_types: ['application/spdx+json'] } }],
    });
    const { id } = JSON.parse((await post(sbomOnly)).text) as { id: string };
    assert.equal((await report(id, MIME.vulnerabilityReport)).status, 404);
    assert.equal(
      (await report(id, MIME.sbomReport, '?sbom_media_type=application%2Fvnd.cyclonedx%2Bjson')).status,
      404,
    );
    assert.equal(
      (await report(id, MIME.sbomReport, '?sbom_media_type=application%2Fspdx%2Bjson')).status,
      302,
    );
  });

  it('answers 400 for an SBOM without a valid sbom_media_type, and 501 for a report it does not write', async () => {
    const { id } = JSON.parse((await post(scanRequest())).text) as { id: string };
    for (const query of ['', '?sbom_media_type=text%2Fplain']) {
      const answer = await report(id, MIME.sbomReport, query);
      assert.equal(answer.status, 400);
      assert.match(message(answer), /sbom_media_type/);
    }
    assert.equal((await report(id, MIME.rawReport)).status, 501);
  });
});
