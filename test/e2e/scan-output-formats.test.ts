// `customs scan --format spdx|cyclonedx|sarif` of the real app image (its OCI layout), with the real
// OSV records from test/fixtures/osv imported, so the vulnerability parts are written too. Each output
// is checked by upstream's own validator: SPDX 2.3 and SARIF 2.1.0 against the official schema files
// (sha256-pinned, see test/fixtures/SOURCES.md), CycloneDX 1.6 by @cyclonedx/cyclonedx-library's
// strict validator. Each is also compared with the JSON scan of the same image, so a format that
// validates by dropping content fails.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cycloneDxCheck, sarifSchemaCheck, spdxSchemaCheck } from '@customs/report/testing';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';

// Local layout only: no registry, skopeo or openssl needed.
const e2e = e2eEnvironment([]);

interface ScanJson {
  packages: Array<{ type: string; name: string; version: string; purl: string }>;
  findings: Array<{ id: string; package: { type: string; purl: string } }>;
  configFindings: Array<{ id: string }>;
}

describe('customs scan --format spdx|cyclonedx|sarif of the real app image', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const target = () => `${images.layout}:app`;
  let dbDir = '';
  let scan: ScanJson = { packages: [], findings: [], configFindings: [] };
  let spdxText: Promise<string> | null = null;
  /** Both SPDX tests read one rendering: a scan of the image takes a while. */
  const spdxDocument = async () => JSON.parse(await (spdxText ??= render('spdx')));

  async function render(format: string): Promise<string> {
    const result = await runCustoms(['scan', target(), '--format', format, '--db-dir', dbDir]);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  }

  before(async () => {
    dbDir = await mkdtemp(join(tmpdir(), 'customs-e2e-formats-db-'));
    const imported = await runCustoms(['db', 'import', OSV_FIXTURES, '--db-dir', dbDir]);
    assert.equal(imported.code, 0, imported.stderr);
    scan = JSON.parse(await render('json')) as ScanJson;
    // The vulnerability parts of CycloneDX and SARIF are only exercised if there are findings.
    const types = new Set(scan.findings.map((finding) => finding.package.type));
    for (const type of ['npm', 'pypi', 'golang']) assert.ok(types.has(type), `${type} findings in the scan`);
  });
  after(() => rm(dbDir, { recursive: true, force: true }));

  test('SPDX: valid against the official SPDX 2.3 schema, every package of the scan in it', async () => {
    const spdx = await spdxDocument();
    assert.equal(spdxSchemaCheck()(spdx), null);
    assert.equal(spdx.spdxVersion, 'SPDX-2.3');
    const purls = spdx.packages.flatMap((pkg: { externalRefs?: Array<{ referenceLocator: string }> }) =>
      (pkg.externalRefs ?? []).map((ref) => ref.referenceLocator),
    );
    assert.deepEqual(purls.sort(), scan.packages.map((pkg) => pkg.purl).sort());
    const purposes = spdx.packages.map(
      (pkg: { primaryPackagePurpose?: string }) => pkg.primaryPackagePurpose,
    );
    assert.deepEqual(purposes.slice(0, 2), ['CONTAINER', 'OPERATING_SYSTEM']);
  });

  // The 2.3 schema leaves these rules of the SPDX 2.3 specification to the reader: checked here.
  test('SPDX: ids are SPDXRef-[letters, digits, . -] and unique, relationships name them, created has no fraction', async () => {
    const spdx = await spdxDocument();
    const ids: string[] = spdx.packages.map((pkg: { SPDXID: string }) => pkg.SPDXID);
    assert.deepEqual(
      ids.filter((id) => !/^SPDXRef-[A-Za-z0-9.-]+$/.test(id)),
      [],
    );
    assert.equal(new Set(ids).size, ids.length);
    const known = new Set([spdx.SPDXID, ...ids]);
    const dangling = spdx.relationships.filter(
      (relation: { spdxElementId: string; relatedSpdxElement: string }) =>
        !known.has(relation.spdxElementId) || !known.has(relation.relatedSpdxElement),
    );
    assert.deepEqual(dangling, []);
    assert.match(spdx.creationInfo.created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  test('CycloneDX: valid by the library’s strict 1.6 validator, one vulnerability per finding id', async () => {
    const text = await render('cyclonedx');
    assert.equal(await cycloneDxCheck()(text), null);
    const bom = JSON.parse(text);
    assert.equal(bom.specVersion, '1.6');
    const ids = bom.vulnerabilities.map((vulnerability: { id: string }) => vulnerability.id);
    assert.deepEqual(ids.sort(), [...new Set(scan.findings.map((finding) => finding.id))].sort());
    const refs = new Set(bom.components.map((component: { 'bom-ref': string }) => component['bom-ref']));
    const affected: string[] = bom.vulnerabilities.flatMap(
      (vulnerability: { affects: Array<{ ref: string }> }) =>
        vulnerability.affects.map((affect) => affect.ref),
    );
    assert.deepEqual(
      affected.filter((ref) => !refs.has(ref)),
      [],
    );
  });

  test('SARIF: valid against the OASIS SARIF 2.1.0 schema, one result per finding and config finding', async () => {
    const log = JSON.parse(await render('sarif'));
    assert.equal(sarifSchemaCheck()(log), null);
    const [run] = log.runs;
    const all = [...scan.findings, ...scan.configFindings];
    assert.equal(run.results.length, all.length);
    assert.deepEqual(
      run.results.map((result: { ruleId: string }) => result.ruleId).sort(),
      all.map((finding) => finding.id).sort(),
    );
  });
});
