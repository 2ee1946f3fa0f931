import assert from 'node:assert/strict';
import test from 'node:test';
import { SEVERITIES } from '@customs/model';
import { sarifLevel } from './sarif-level.js';
import { toSarif } from './sarif.js';
import { goofScan, TOOL } from './testing/goof-scan.js';
import { sarifSchemaCheck } from './testing/json-schemas.js';

const checkSarif = sarifSchemaCheck();
/** What a consumer reads: the JSON text parsed back. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('severity → SARIF level: CRITICAL/HIGH error, MEDIUM warning, the rest note', () => {
  assert.deepEqual(
    SEVERITIES.map((severity) => [severity, sarifLevel(severity)]),
    [
      ['CRITICAL', 'error'],
      ['HIGH', 'error'],
      ['MEDIUM', 'warning'],
      ['LOW', 'note'],
      ['NEGLIGIBLE', 'note'],
      ['UNKNOWN', 'note'],
    ],
  );
});

test('the SARIF log of the fixture scan is valid against the OASIS SARIF 2.1.0 schema', async () => {
  const { document } = await goofScan();
  const log = asJson(toSarif(document, TOOL));
  assert.equal(checkSarif(log), null);
  const empty = asJson(toSarif({ ...document, findings: [] }, { name: 'Customs', version: '0.1.0' }));
  assert.equal(checkSarif(empty), null);
});

test('the schema check catches what the schema forbids', async () => {
  const { document } = await goofScan();
  const log = toSarif(document, TOOL);
  const [run] = log.runs;
  const [first] = run?.results ?? [];
  assert.ok(first);
  assert.match(
    checkSarif(asJson({ ...log, runs: [{ ...run, results: [{ ...first, level: 'fatal' }] }] })) ?? '',
    /level/,
  );
  assert.match(checkSarif(asJson({ ...log, version: '2.0.0' })) ?? '', /version/);
});

test('one rule per vulnerability id, with descriptions, help, a string security-severity and tags', async () => {
  const { document } = await goofScan();
  const driver = toSarif(document, TOOL).runs[0]?.tool.driver;
  assert.equal(driver?.name, 'Customs');
  assert.equal(driver?.version, '0.1.0');
  assert.equal(driver?.informationUri, 'https://example.com/customs');
  const rules = driver?.rules ?? [];
  assert.deepEqual(
    rules.map((rule) => [rule.id, rule.properties?.['security-severity'], rule.defaultConfiguration?.level]),
    [
      ['CVE-2024-45590', '7.5', 'error'],
      ['CVE-2025-15284', '7.5', 'error'],
      ['CVE-2024-29041', '6.1', 'warning'],
      ['CVE-2024-43796', '5.0', 'warning'],
      // GHSA rates it LOW without a vector: the middle of GitHub's low band.
      ['CVE-2024-47764', '2.0', 'note'],
      // Go advisories carry no severity: no number is made up.
      ['CVE-2026-33997', undefined, 'note'],
      ['CVE-2024-45337', undefined, 'note'],
    ],
  );
  const bodyParser = rules[0];
  assert.deepEqual(bodyParser, {
    id: 'CVE-2024-45590',
    name: 'LanguagePackageVulnerability',
    shortDescription: { text: 'body-parser vulnerable to denial of service when url encoding is enabled' },
    fullDescription: { text: 'body-parser vulnerable to denial of service when url encoding is enabled' },
    defaultConfiguration: { level: 'error' },
    helpUri: 'https://osv.dev/vulnerability/CVE-2024-45590',
    help: {
      text: [
        'Vulnerability CVE-2024-45590 (also GHSA-qwcr-r2fm-qrc7)',
        'Severity: HIGH (CVSS 3.1 7.5)',
        'body-parser vulnerable to denial of service when url encoding is enabled',
        'https://osv.dev/vulnerability/CVE-2024-45590',
      ].join('\n'),
      markdown: [
        '**Vulnerability CVE-2024-45590** (also GHSA-qwcr-r2fm-qrc7)',
        '',
        '| Severity | CVSS | Summary |',
        '| --- | --- | --- |',
        '| HIGH | 7.5 (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H`) | body-parser vulnerable to denial of service when url encoding is enabled |',
        '',
        '[CVE-2024-45590](https://osv.dev/vulnerability/CVE-2024-45590)',
      ].join('\n'),
    },
    properties: {
      'security-severity': '7.5',
      tags: ['vulnerability', 'security', 'HIGH'],
      precision: 'very-high',
    },
  });
});

test('one result per finding, pointing at its rule, the file in the image and the image itself', async () => {
  const { document } = await goofScan();
  const run = toSarif(document, TOOL).runs[0];
  const results = run?.results ?? [];
  assert.equal(results.length, 10);
  for (const result of results) {
    assert.equal(run?.tool.driver.rules?.[result.ruleIndex ?? -1]?.id, result.ruleId);
  }
  assert.deepEqual(
    results.find((result) => result.ruleId === 'CVE-2026-33997'),
    {
      ruleId: 'CVE-2026-33997',
      ruleIndex: 5,
      level: 'note',
      message: {
        text: `github.com/docker/docker v20.10.11+incompatible is affected by CVE-2026-33997 (UNKNOWN). No fixed version is known. Found in go/src/app/go.mod, layer ${document.layers[2]?.digest}.`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'go/src/app/go.mod', uriBaseId: 'ROOTPATH' },
            region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
          },
          logicalLocations: [
            {
              name: 'registry.example/customs/goof:1',
              fullyQualifiedName: `registry.example/customs/goof:1@${document.manifestDigest}`,
              kind: 'resource',
            },
          ],
        },
      ],
    },
  );
  assert.match(
    results[0]?.message.text ?? '',
    /^body-parser 1\.9\.0 is affected by CVE-2024-45590 \(HIGH\)\. Fixed in 1\.20\.3\./,
  );
  assert.deepEqual(run?.originalUriBaseIds, { ROOTPATH: { uri: 'file:///' } });
  assert.deepEqual(run?.properties?.['vulnerabilityData'], {
    lastImport: '2025-01-02T03:04:05.000Z',
    advisories: 7,
  });
});

test('file paths become relative URI references: each segment percent-encoded', async () => {
  const { document } = await goofScan();
  const [first] = document.findings;
  assert.ok(first);
  const log = toSarif(
    { ...document, findings: [{ ...first, path: 'app/node_modules/@scope/a b%/package.json' }] },
    TOOL,
  );
  const location = log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
  assert.equal(location?.uri, 'app/node_modules/%40scope/a%20b%25/package.json');
  assert.equal(checkSarif(asJson(log)), null);
});
