import assert from 'node:assert/strict';
import test from 'node:test';
import type { ImageSecrets } from '@customs/model';
import { toInventoryDocument } from './inventory-document.js';
import { renderScan } from './render-scan.js';
import { toScanDocument } from './scan-document.js';
import { goofScan, TOOL, VULNERABILITY_DATA } from './testing/goof-scan.js';
import { sarifSchemaCheck } from './testing/json-schemas.js';

interface SarifResult {
  ruleIndex: number;
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  }>;
  properties: { layerIndex: number; removedInLayer: number | null };
}

const LAYER0 = 'sha256:' + '0'.repeat(64);
const LAYER2 = 'sha256:' + '2'.repeat(64);

// Redacted findings as the scanner hands them over: the documents never saw the secrets themselves.
const secrets: ImageSecrets = {
  findings: [
    {
      ruleId: 'github-pat',
      severity: 'CRITICAL',
      title: 'GitHub personal access token (classic)',
      path: 'app/config.yml',
      line: 3,
      match: 'ghp_****',
      layerIndex: 2,
      layerDigest: LAYER2,
      removedInLayer: null,
    },
    {
      ruleId: 'private-key',
      severity: 'CRITICAL',
      title: 'Private key (PEM)',
      path: 'root/key.pem',
      line: 1,
      match: '----****',
      layerIndex: 0,
      layerDigest: LAYER0,
      removedInLayer: 1,
    },
  ],
  scannedFiles: 12,
  skipped: { binary: 3, tooLarge: 1, skippedPath: 0 },
};

async function documentWithSecrets() {
  const { image, findings, covered, unmatched } = await goofScan();
  return toScanDocument(
    toInventoryDocument('registry.example/customs/goof:1', { ...image, secrets }),
    { findings, covered, unmatched },
    { vulnerabilityData: VULNERABILITY_DATA },
  );
}

test('JSON: a secrets section, most severe first, then by layer; the deleted one says where', async () => {
  const document = await documentWithSecrets();
  const json = JSON.parse(renderScan('json', document, { tool: TOOL }));
  assert.deepEqual(
    json.secrets.findings.map((f: Record<string, unknown>) => [
      f.ruleId,
      f.path,
      f.layerIndex,
      f.removedInLayer,
    ]),
    [
      ['private-key', 'root/key.pem', 0, 1],
      ['github-pat', 'app/config.yml', 2, null],
    ],
  );
  assert.deepEqual(json.secrets.skipped, { binary: 3, tooLarge: 1, skippedPath: 0 });
});

test('table: a secrets section with counts, unread files and the removal note', async () => {
  const table = renderScan('table', await documentWithSecrets(), { tool: TOOL });
  const section = table.slice(table.indexOf('Secrets:'));
  assert.equal(
    section.slice(0, section.indexOf('\n\n', section.indexOf('SEVERITY'))),
    `Secrets: 2 (CRITICAL: 2, HIGH: 0, MEDIUM: 0, LOW: 0, NEGLIGIBLE: 0)
read 12 files; not read: 3 binary, 1 too large, 0 skipped paths

SEVERITY  RULE         PATH:LINE         LAYER  MATCH     NOTE
CRITICAL  private-key  root/key.pem:1    0      ----****  removed in layer 1 (still extractable from layer 0)
CRITICAL  github-pat   app/config.yml:3  2      ghp_****`,
  );
});

test('SARIF: one rule per secret rule, results at path:line with the layer in properties, schema-valid', async () => {
  const sarif = JSON.parse(renderScan('sarif', await documentWithSecrets(), { tool: TOOL }));
  const run = sarif.runs[0];
  const secretRules = run.tool.driver.rules.filter((rule: { id: string }) => rule.id.startsWith('secret/'));
  assert.deepEqual(
    secretRules.map((rule: { id: string }) => rule.id),
    ['secret/private-key', 'secret/github-pat'],
  );
  const results = run.results.filter((result: { ruleId: string }) => result.ruleId.startsWith('secret/'));
  assert.deepEqual(
    results.map((r: SarifResult) => [
      r.locations[0]?.physicalLocation.artifactLocation.uri,
      r.locations[0]?.physicalLocation.region.startLine,
      r.properties.layerIndex,
      r.properties.removedInLayer,
      run.tool.driver.rules[r.ruleIndex].id,
    ]),
    [
      ['root/key.pem', 1, 0, 1, 'secret/private-key'],
      ['app/config.yml', 3, 2, null, 'secret/github-pat'],
    ],
  );
  assert.equal(sarifSchemaCheck()(sarif), null);
});
