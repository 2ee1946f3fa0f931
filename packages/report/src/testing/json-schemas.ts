import { readFileSync } from 'node:fs';
import Ajv2019Module from 'ajv/dist/2019.js';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { FIXTURES } from './fixture-image.js';

// ajv ships CommonJS whose default export arrives as `.default` under NodeNext.
const Ajv2019 = Ajv2019Module.default;
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

/** A validator returning the schema errors as text, or null for a valid document. */
export type SchemaCheck = (document: unknown) => string | null;

function schema(name: string): object {
  const parsed: unknown = JSON.parse(readFileSync(`${FIXTURES}report/schemas/${name}`, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${name} is not a JSON schema`);
  return parsed;
}

/** The official SPDX 2.3 JSON schema (draft 2019-09), formats checked. */
export function spdxSchemaCheck(): SchemaCheck {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema('spdx-schema-2.3.json'));
  return (document) => (validate(document) ? null : ajv.errorsText(validate.errors));
}

/** The OASIS SARIF 2.1.0 JSON schema (draft 04), formats checked. */
export function sarifSchemaCheck(): SchemaCheck {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema('sarif-schema-2.1.0.json'));
  return (document) => (validate(document) ? null : ajv.errorsText(validate.errors));
}
