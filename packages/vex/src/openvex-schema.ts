import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module, { type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv ships CommonJS whose default export arrives as `.default` under NodeNext.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** The official OpenVEX 0.2.0 JSON schema, copied unedited (schema/SOURCES.md). */
export const OPENVEX_SCHEMA_PATH = fileURLToPath(
  new URL('../schema/openvex_json_schema.json', import.meta.url),
);

/** The upstream file's sha256 as SOURCES.md records it: an edited copy refuses to load. */
export const OPENVEX_SCHEMA_SHA256 = '9373597734ed1d3ea5161a8b46d3866c4a8cfe76fd632fdd16aef01fb34b3238';

/** The schema's problems with a document, one line each; empty when it is valid. */
export type OpenVexCheck = (document: unknown) => string[];

let check: OpenVexCheck | undefined;

export function openVexSchemaCheck(): OpenVexCheck {
  check ??= compile();
  return check;
}

function compile(): OpenVexCheck {
  const bytes = readFileSync(OPENVEX_SCHEMA_PATH);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== OPENVEX_SCHEMA_SHA256) {
    throw new Error(`${OPENVEX_SCHEMA_PATH} is not the upstream file: sha256 ${actual}`);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  // `iri` is no format ajv-formats knows; an IRI is a URL that may hold non-ASCII letters, which the
  // WHATWG parser takes (purls and `sha256:` digests parse as URLs with their own scheme).
  ajv.addFormat('iri', (value: string) => URL.canParse(value));
  const validate = ajv.compile(JSON.parse(bytes.toString('utf8')) as object);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map(describe));
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the document' : error.instancePath;
  const detail =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${(error.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')})`
        : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}
