import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import test from 'node:test';
import { OFFICIAL_SCHEMA_SHA256, schemaPath } from './testing/json-schemas.js';

// The schemas are upstream's files, never edited to make output pass: each one's sha256 is pinned
// here and in test/fixtures/SOURCES.md (origin, commit). We take no exception to either schema.
test('every schema under test/fixtures/report/schemas is pinned and has the upstream bytes', () => {
  const files = readdirSync(schemaPath('')).sort();
  assert.deepEqual(files, Object.keys(OFFICIAL_SCHEMA_SHA256).sort());
  assert.deepEqual(
    files.map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(schemaPath(file)))
        .digest('hex'),
    ]),
    [
      ['sarif-schema-2.1.0.json', 'c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e'],
      ['spdx-schema-2.3.json', '239208b7ac287b3cf5d9a9af23f9d69863971102a5e1587a27a398b43490b89b'],
    ],
  );
});

test('the SPDX schema is the one whose package purpose enum says OPERATING_SYSTEM', () => {
  const schema = JSON.parse(readFileSync(schemaPath('spdx-schema-2.3.json'), 'utf8'));
  const purposes: unknown = schema.properties.packages.items.properties.primaryPackagePurpose.enum;
  assert.ok(Array.isArray(purposes));
  assert.ok(purposes.includes('OPERATING_SYSTEM'));
  assert.ok(!purposes.includes('OPERATING-SYSTEM'));
});
