import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import AjvModule from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { FIXTURES } from './fixture-image.js';

// ajv ships CommonJS whose default export arrives as `.default` under NodeNext.
const Ajv = AjvModule.default;
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

/** A validator returning the schema errors as text, or null for a valid document. */
export type SchemaCheck = (document: unknown) => string | null;

/**
 * The upstream bytes of each schema (origin and commit in test/fixtures/SOURCES.md). A check refuses
 * to load a file that differs, so an edit to make output "pass" fails every test that validates.
 */
export const OFFICIAL_SCHEMA_SHA256: Readonly<Record<string, string>> = {
  'spdx-schema-2.3.json': '239208b7ac287b3cf5d9a9af23f9d69863971102a5e1587a27a398b43490b89b',
  'sarif-schema-2.1.0.json': 'c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e',
};

export function schemaPath(name: string): string {
  return `${FIXTURES}report/schemas/${name}`;
}

function officialSchema(name: string): object {
  const bytes = readFileSync(schemaPath(name));
  const actual = createHash('sha256').update(bytes).digest('hex');
  const expected = OFFICIAL_SCHEMA_SHA256[name];
  if (actual !== expected) {
    throw new Error(`${name} is not the upstream file: sha256 ${actual}, upstream ${expected ?? 'unknown'}`);
  }
  const parsed: unknown = JSON.parse(bytes.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${name} is not a JSON schema`);
  return parsed;
}

/** The official SPDX 2.3 JSON schema (draft-07, spdx/spdx-spec branch support/2.3), formats checked. */
export function spdxSchemaCheck(): SchemaCheck {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(officialSchema('spdx-schema-2.3.json'));
  return (document) => (validate(document) ? null : ajv.errorsText(validate.errors));
}

/** The OASIS SARIF 2.1.0 JSON schema (draft-04, the approved errata), formats checked. */
export function sarifSchemaCheck(): SchemaCheck {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(officialSchema('sarif-schema-2.1.0.json'));
  return (document) => (validate(document) ? null : ajv.errorsText(validate.errors));
}

/**
 * CycloneDX 1.6 by the CycloneDX library's own strict JSON validator (its bundled schemas). It
 * throws when its optional peers (ajv, ajv-formats, ajv-formats-draft2019) are missing, so a
 * missing validator fails the test instead of passing it.
 */
export function cycloneDxCheck(): (text: string) => Promise<string | null> {
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  return async (text) => {
    const errors = await validator.validate(text);
    return errors === null ? null : JSON.stringify(errors);
  };
}
