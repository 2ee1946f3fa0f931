import assert from 'node:assert/strict';
import test from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { isCustomsError } from '@customs/errors';
import {
  FORMAT_MEDIA_TYPES,
  parseScanFormat,
  renderSbom,
  renderScan,
  SBOM_FORMATS,
  SCAN_FORMATS,
} from './render-scan.js';
import { renderScanTable } from './scan-table.js';
import { goofScan, TOOL } from './testing/goof-scan.js';
import { sarifSchemaCheck, spdxSchemaCheck } from './testing/json-schemas.js';

const NOW = new Date('2025-01-02T03:04:05Z');
const OPTIONS = {
  tool: TOOL,
  now: NOW,
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  documentNamespace: 'https://example.com/customs/spdx/goof-1',
};

test('renderScan writes each format from the same document', async () => {
  const { document } = await goofScan();
  assert.equal(renderScan('table', document, OPTIONS), renderScanTable(document));
  assert.equal(renderScan('json', document, OPTIONS), JSON.stringify(document, null, 2) + '\n');
  const sarif = JSON.parse(renderScan('sarif', document, OPTIONS));
  assert.equal(sarifSchemaCheck()(sarif), null);
  assert.equal(sarif.runs[0].results.length, 10);
  const cyclonedx = renderScan('cyclonedx', document, OPTIONS);
  assert.equal(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(cyclonedx), null);
  assert.equal(JSON.parse(cyclonedx).vulnerabilities.length, 7);
  assert.equal(JSON.parse(cyclonedx).serialNumber, OPTIONS.serialNumber);
  const spdx = JSON.parse(renderScan('spdx', document, OPTIONS));
  assert.equal(spdxSchemaCheck()(spdx), null);
  assert.equal(spdx.documentNamespace, OPTIONS.documentNamespace);
  assert.equal(spdx.creationInfo.created, '2025-01-02T03:04:05Z');
  // The same inputs give the same bytes: nothing but the options' time and ids varies.
  for (const format of SCAN_FORMATS) {
    assert.equal(renderScan(format, document, OPTIONS), renderScan(format, document, OPTIONS), format);
  }
});

test('renderSbom never writes vulnerabilities, even from a scan document', async () => {
  const { document, inventory } = await goofScan();
  const fromScan = renderSbom('cyclonedx', document, OPTIONS);
  assert.equal('vulnerabilities' in JSON.parse(fromScan), false);
  assert.equal(fromScan, renderSbom('cyclonedx', inventory, OPTIONS));
  assert.equal(renderSbom('spdx', document, OPTIONS), renderScan('spdx', document, OPTIONS));
  assert.equal(
    JSON.parse(renderSbom('cyclonedx', document, OPTIONS)).metadata.properties,
    undefined,
    'no vulnerability-data property on a pure SBOM',
  );
});

test('parseScanFormat accepts the five formats and refuses others with REPORT_FORMAT_UNSUPPORTED', () => {
  assert.deepEqual(
    SCAN_FORMATS.map((format) => parseScanFormat(format)),
    ['table', 'json', 'sarif', 'cyclonedx', 'spdx'],
  );
  assert.throws(
    () => parseScanFormat('spdx-json'),
    (error: unknown) =>
      isCustomsError(error, 'REPORT_FORMAT_UNSUPPORTED') &&
      error.message === 'unknown report format "spdx-json"' &&
      error.hint === 'use one of table, json, sarif, cyclonedx, spdx',
  );
});

test('each format has the media type it is served with', () => {
  assert.deepEqual(FORMAT_MEDIA_TYPES, {
    table: 'text/plain; charset=utf-8',
    json: 'application/json',
    sarif: 'application/sarif+json',
    cyclonedx: 'application/vnd.cyclonedx+json; version=1.6',
    spdx: 'application/spdx+json',
  });
  assert.deepEqual(SBOM_FORMATS, ['cyclonedx', 'spdx']);
});
