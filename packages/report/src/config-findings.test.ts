// The config findings here are generated test data shaped like packages/imageconfig's output.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { ConfigFinding } from '@customs/model';
import { withConfigFindings } from './config-findings.js';
import { renderCycloneDx } from './cyclonedx.js';
import { renderScanTable } from './scan-table.js';
import { toSarif } from './sarif.js';
import { goofScan, TOOL } from './testing/goof-scan.js';
import { cycloneDxCheck, sarifSchemaCheck } from './testing/json-schemas.js';

const noHealthcheck: ConfigFinding = {
  id: 'CFG007',
  severity: 'LOW',
  title: 'No HEALTHCHECK',
  detail: 'no HEALTHCHECK is set',
  remediation: 'Add a HEALTHCHECK.',
  location: 'config.Healthcheck',
};
const root: ConfigFinding = {
  id: 'CFG001',
  severity: 'HIGH',
  title: 'Image runs as root',
  detail: 'no USER is set',
  remediation: 'Add a non-root user and switch to it with USER.',
  location: 'config.User',
};
const envSecret: ConfigFinding = {
  id: 'CFG002',
  severity: 'HIGH',
  title: 'Secret in an environment variable',
  detail: 'DB_PASSWORD=<redacted, 17 characters>',
  remediation: 'Pass it at run time.',
  location: 'config.Env[1]',
};

async function scanWithConfig() {
  const { document } = await goofScan();
  return withConfigFindings(document, [noHealthcheck, envSecret, root]);
}

test('the JSON document lists config findings most severe first, then by check id', async () => {
  const document = await scanWithConfig();
  assert.deepEqual(
    document.configFindings?.map((finding) => finding.id),
    ['CFG001', 'CFG002', 'CFG007'],
  );
  const { document: plain } = await goofScan();
  assert.equal('configFindings' in JSON.parse(JSON.stringify(plain)), false, 'absent when not scanned');
});

test('the table has an image configuration section only when the config scanner ran', async () => {
  const table = renderScanTable(await scanWithConfig());
  assert.match(table, /image configuration: 3 findings/);
  assert.match(
    table,
    /CFG002\s+HIGH\s+Secret in an environment variable\s+config\.Env\[1\]\s+DB_PASSWORD=<redacted/,
  );
  const { document } = await goofScan();
  assert.doesNotMatch(renderScanTable(document), /image configuration/);
  assert.match(renderScanTable(withConfigFindings(document, [])), /image configuration: no findings/);
});

test('SARIF: one rule per check with its remediation, one result per finding, schema-valid', async () => {
  const document = await scanWithConfig();
  const log = JSON.parse(JSON.stringify(toSarif(document, TOOL)));
  assert.equal(sarifSchemaCheck()(log), null);
  const rules = log.runs[0].tool.driver.rules as Array<{ id: string; help: { text: string } }>;
  const configRules = rules.filter((rule) => rule.id.startsWith('CFG'));
  assert.deepEqual(
    configRules.map((rule) => [rule.id, rule.help.text]),
    [
      ['CFG001', root.remediation],
      ['CFG002', envSecret.remediation],
      ['CFG007', noHealthcheck.remediation],
    ],
  );
  const results = log.runs[0].results as Array<{ ruleId: string; ruleIndex: number }>;
  const configResults = results.filter((result) => result.ruleId.startsWith('CFG'));
  assert.equal(configResults.length, 3);
  for (const result of configResults) assert.equal(rules[result.ruleIndex]?.id, result.ruleId);
});

test('CycloneDX: each finding is a customs:config property of the image, and the BOM stays valid', async () => {
  const document = await scanWithConfig();
  const text = renderCycloneDx(document, { tool: TOOL });
  assert.equal(await cycloneDxCheck()(text), null);
  const bom = JSON.parse(text);
  const properties = (bom.metadata.component.properties as Array<{ name: string; value: string }>).filter(
    (entry) => entry.name.startsWith('customs:config:'),
  );
  assert.deepEqual(properties, [
    { name: 'customs:config:CFG001', value: 'HIGH config.User: no USER is set' },
    { name: 'customs:config:CFG002', value: 'HIGH config.Env[1]: DB_PASSWORD=<redacted, 17 characters>' },
    { name: 'customs:config:CFG007', value: 'LOW config.Healthcheck: no HEALTHCHECK is set' },
  ]);
});
