// Config checks on the real configs of the e2e images (umoci-built: no USER, no HEALTHCHECK, no ports)
// read through the same OCI layout source the CLI uses, and the findings in every `customs scan`
// format of the app image.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkImageConfig } from '@customs/imageconfig';
import { openOciLayout, type ImageConfig } from '@customs/oci';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';

const e2e = e2eEnvironment([]);

async function realConfig(layout: string, tag: string): Promise<ImageConfig> {
  const source = openOciLayout(layout, { tag });
  const [image] = await source.resolve({ kind: 'all' });
  await source.close();
  assert.ok(image?.config, `${tag} has a config`);
  return image.config;
}

describe('image config checks on the real e2e images', { skip: e2e.skip }, () => {
  const images = e2e.images();
  let dbDir = '';

  before(async () => {
    dbDir = await mkdtemp(join(tmpdir(), 'customs-e2e-config-db-'));
    const imported = await runCustoms(['db', 'import', OSV_FIXTURES, '--db-dir', dbDir]);
    assert.equal(imported.code, 0, imported.stderr);
  });
  after(() => rm(dbDir, { recursive: true, force: true }));

  test('base-arm64: runs as root and has no HEALTHCHECK, nothing else', async () => {
    const findings = checkImageConfig(await realConfig(images.layout, 'base-arm64'));
    assert.deepEqual(
      findings.map((finding) => [finding.id, finding.location]),
      [
        ['CFG001', 'config.User'],
        ['CFG007', 'config.Healthcheck'],
      ],
    );
  });

  test('app: root and no HEALTHCHECK; its plain history (COPY, RUN, ENV PATH) raises nothing', async () => {
    const config = await realConfig(images.layout, 'app');
    const findings = checkImageConfig(config);
    const ids = findings.map((finding) => finding.id);
    for (const id of ['CFG001', 'CFG007']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    for (const id of ['CFG003', 'CFG004', 'CFG005', 'CFG006', 'CFG008']) assert.ok(!ids.includes(id), id);
    const values = (config.config?.Env ?? []).map((entry) => entry.slice(entry.indexOf('=') + 1));
    for (const value of values.filter((value) => value.length > 3)) {
      assert.ok(!JSON.stringify(findings).includes(value), 'no ENV value appears in a finding');
    }
  });

  test('customs scan: JSON, table, SARIF and CycloneDX carry the findings of the app image', async () => {
    const scan = (format: string) =>
      runCustoms(['scan', `${images.layout}:app`, '--format', format, '--db-dir', dbDir]);
    // One at a time: the database directory takes one process.
    const [json, table, sarif, cyclonedx] = [
      await scan('json'),
      await scan('table'),
      await scan('sarif'),
      await scan('cyclonedx'),
    ];
    for (const result of [json, table, sarif, cyclonedx]) assert.equal(result?.code, 0, result?.stderr);
    const document = JSON.parse(json?.stdout ?? '') as {
      configFindings: Array<{ id: string; remediation: string }>;
    };
    const expected = checkImageConfig(await realConfig(images.layout, 'app'));
    assert.deepEqual(document.configFindings, expected);
    assert.match(table?.stdout ?? '', /image configuration: \d+ findings?\n/);
    assert.match(table?.stdout ?? '', /CFG001\s+HIGH\s+Image runs as root\s+config\.User\s+no USER is set/);
    const log = JSON.parse(sarif?.stdout ?? '');
    const ruleIds = log.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id);
    for (const finding of expected) assert.ok(ruleIds.includes(finding.id), `SARIF rule ${finding.id}`);
    const bom = JSON.parse(cyclonedx?.stdout ?? '');
    const names = bom.metadata.component.properties.map((entry: { name: string }) => entry.name);
    for (const finding of expected) assert.ok(names.includes(`customs:config:${finding.id}`), finding.id);
  });
});
