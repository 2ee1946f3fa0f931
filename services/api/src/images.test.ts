import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderSbom } from '@customs/report';
import { spdxSchemaCheck } from '@customs/report/testing';
import request from 'supertest';
import { inventoryDocument } from './routes/stored-image.js';
import { bearer, type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';
import {
  EXPRESS_RECORDS,
  MORE_RECORDS,
  REPOSITORY,
  type FixtureImages,
} from './test-support/fixture-images.js';
import { startSeeded, type Seeded } from './test-support/seeded.js';

const NEVER_SEEN = `sha256:${'0'.repeat(63)}1`;

let seeded: Seeded;
let harness: Harness;
let images: FixtureImages;
let goof: string;
let multi: string;
let app: Seeded['app'];

before(async () => {
  seeded = await startSeeded();
  ({ harness, images, goof, multi, app } = seeded);
});
after(() => seeded.close());

const read = () => bearer(harness.tokens.read);

describe('GET /v1/images/{digest}/report', () => {
  it('is the scan document: the stored inventory and the findings the data gives now', async () => {
    const response = await request(app).get(`/v1/images/${goof}/report`).set(read());
    assert.equal(response.status, 200);
    assertContract('getImageReport', 200, response.body);
    const report = response.body;
    assert.equal(report.target, `${images.registry.host}/${REPOSITORY}@${goof}`);
    assert.equal(report.manifestDigest, goof);
    assert.equal(report.platform, 'linux/amd64');
    assert.deepEqual(report.distro, { id: 'debian', versionId: '12' });
    assert.ok(
      report.packages.some(
        (pkg: { name: string; version: string }) => pkg.name === 'express' && pkg.version === '4.12.4',
      ),
    );
    assert.equal(report.vulnerabilityData.advisories, EXPRESS_RECORDS.length + MORE_RECORDS.length);
    const express = report.findings.filter(
      (finding: { package: { name: string } }) => finding.package.name === 'express',
    );
    assert.deepEqual(
      express
        .map((finding: { id: string; fixedVersion: string }) => [finding.id, finding.fixedVersion])
        .sort(),
      [
        ['CVE-2024-29041', '4.19.2'],
        ['CVE-2024-43796', '4.20.0'],
      ],
    );
    assert.equal(report.findings[0].severity, 'HIGH', 'most severe first');
    // The fixture's config sets no USER and no HEALTHCHECK: the checks run on the config the worker stored.
    const checks = report.configFindings.map((finding: { id: string; location: string }) => [
      finding.id,
      finding.location,
    ]);
    assert.deepEqual(checks, [
      ['CFG001', 'config.User'],
      ['CFG007', 'config.Healthcheck'],
    ]);
  });

  it('filters by severity and fixability as the CLI does, and refuses an unknown severity', async () => {
    const medium = await request(app)
      .get(`/v1/images/${goof}/report`)
      .query({ severity: 'medium' })
      .set(read());
    assert.equal(medium.status, 200);
    assert.ok(medium.body.findings.length >= 2);
    assert.ok(medium.body.findings.every((finding: { severity: string }) => finding.severity === 'MEDIUM'));
    const fixed = await request(app)
      .get(`/v1/images/${goof}/report`)
      .query({ ignoreUnfixed: 'true' })
      .set(read());
    assert.ok(
      fixed.body.findings.every((finding: { fixedVersion: string | null }) => finding.fixedVersion !== null),
    );
    const bad = await request(app).get(`/v1/images/${goof}/report`).query({ severity: 'URGENT' }).set(read());
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'SEVERITY_INVALID');
    assertContract('getImageReport', 400, bad.body);
    const typo = await request(app).get(`/v1/images/${goof}/report`).query({ sevrity: 'HIGH' }).set(read());
    assert.equal(typo.status, 400);
    assert.equal(typo.body.error.code, 'REQUEST_INVALID');
    assert.match(typo.body.error.message, /query: unexpected "sevrity"/);
  });

  it('says why there is no report: never seen (404), an index (409), a pending scan (409 + Retry-After)', async () => {
    const unseen = await request(app).get(`/v1/images/${NEVER_SEEN}/report`).set(read());
    assert.equal(unseen.status, 404);
    assert.equal(unseen.body.error.code, 'IMAGE_NOT_FOUND');
    assertContract('getImageReport', 404, unseen.body);
    const index = await request(app).get(`/v1/images/${multi}/report`).set(read());
    assert.equal(index.status, 409);
    assert.equal(index.body.error.code, 'IMAGE_IS_INDEX');
    assert.equal(
      index.body.error.hint,
      `ask for one of them: linux/amd64 ${images.index.children[0]?.digest}, linux/arm64 ${images.index.children[1]?.digest}`,
    );
    const pendingDigest = `sha256:${'0'.repeat(63)}3`;
    await harness.store.scans.create({
      registry: images.registry.host,
      repository: REPOSITORY,
      digest: pendingDigest,
      trigger: 'api',
    });
    const pending = await request(app).get(`/v1/images/${pendingDigest}/report`).set(read());
    assert.equal(pending.status, 409);
    assert.equal(pending.body.error.code, 'SCAN_PENDING');
    assert.equal(pending.headers['retry-after'], '5');
    assertContract('getImageReport', 409, pending.body);
  });

  it('needs verdicts:read', async () => {
    assert.equal((await request(app).get(`/v1/images/${goof}/report`)).status, 401);
    const wrong = await request(app).get(`/v1/images/${goof}/report`).set(bearer(harness.tokens.write));
    assert.equal(wrong.status, 403);
  });
});

describe('GET /v1/images/{digest}/sbom', () => {
  it('renders CycloneDX 1.6 from the stored inventory when no SBOM was stored', async () => {
    const response = await request(app).get(`/v1/images/${goof}/sbom`).set(read());
    assert.equal(response.status, 200);
    assert.equal(
      response.headers['content-type'],
      'application/vnd.cyclonedx+json; version=1.6; charset=utf-8',
    );
    const bom = JSON.parse(response.text);
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.equal(bom.specVersion, '1.6');
    assert.ok(
      bom.components.some((component: { purl?: string }) => component.purl === 'pkg:npm/express@4.12.4'),
    );
    assert.equal(bom.vulnerabilities, undefined, 'an SBOM only');
  });

  it('renders SPDX 2.3 valid against the official schema', async () => {
    const response = await request(app).get(`/v1/images/${goof}/sbom`).query({ format: 'spdx' }).set(read());
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] ?? '', /^application\/spdx\+json/);
    assert.equal(spdxSchemaCheck()(JSON.parse(response.text)), null);
    const document: { spdxVersion: string; packages: Array<{ name: string }> } = JSON.parse(response.text);
    assert.equal(document.spdxVersion, 'SPDX-2.3');
    assert.ok(document.packages.some((pkg) => pkg.name === 'express'));
  });

  it('serves the SBOM the worker stored, as stored', async () => {
    const image = await harness.store.images.get(goof);
    assert.ok(image);
    const namespace = 'https://example.com/spdx/stored-by-the-worker';
    const stored = JSON.parse(
      renderSbom('spdx', inventoryDocument(image), {
        tool: { name: 'Customs', version: 'test' },
        documentNamespace: namespace,
      }),
    );
    await harness.store.artifacts.put(goof, 'sbom-spdx', stored);
    const response = await request(app).get(`/v1/images/${goof}/sbom`).query({ format: 'spdx' }).set(read());
    assert.deepEqual(JSON.parse(response.text), stored);
  });

  it('refuses a format outside the contract, and an index', async () => {
    const xml = await request(app).get(`/v1/images/${goof}/sbom`).query({ format: 'xml' }).set(read());
    assert.equal(xml.status, 400);
    assert.match(
      xml.body.error.message,
      /query\.format: must be equal to one of the allowed values \(cyclonedx, spdx\)/,
    );
    const index = await request(app).get(`/v1/images/${multi}/sbom`).set(read());
    assert.equal(index.status, 409);
    assert.equal((await request(app).get(`/v1/images/${NEVER_SEEN}/sbom`).set(read())).status, 404);
  });
});

describe('GET /v1/images (which images contain a package)', () => {
  it('finds images by package name and version, and OS packages by their source name', async () => {
    const express = await request(app)
      .get('/v1/images')
      .query({ package: 'express', version: '4.12.4' })
      .set(read());
    assert.equal(express.status, 200);
    assertContract('findImagesWithPackage', 200, express.body);
    assert.deepEqual(
      express.body.images.map((image: { digest: string; package: { purl: string } }) => [
        image.digest,
        image.package.purl,
      ]),
      [[goof, 'pkg:npm/express@4.12.4']],
    );
    const bySource = await request(app)
      .get('/v1/images')
      .query({ package: 'pyrsistent', type: 'deb' })
      .set(read());
    const byDigest = [
      [goof, 'linux/amd64'],
      [images.base.manifest.digest, 'linux/arm64'],
    ].sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));
    assert.deepEqual(
      bySource.body.images.map((image: { digest: string; platform: string; package: { name: string } }) => [
        image.digest,
        image.platform,
        image.package.name,
      ]),
      byDigest.map(([digest, platform]) => [digest, platform, 'python3-pyrsistent']),
    );
    const otherVersion = await request(app)
      .get('/v1/images')
      .query({ package: 'express', version: '4.21.0' })
      .set(read());
    assert.deepEqual(otherVersion.body.images, []);
  });

  it('refuses a missing package name or an unknown type', async () => {
    assert.equal((await request(app).get('/v1/images').set(read())).status, 400);
    const type = await request(app).get('/v1/images').query({ package: 'x', type: 'snap' }).set(read());
    assert.equal(type.status, 400);
    assert.match(type.body.error.message, /query\.type/);
  });
});
