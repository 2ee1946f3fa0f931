import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// ajv-formats is CommonJS: under NodeNext its default export arrives as `.default`.
const addFormats = addFormatsModule.default;

/** Harbor's pluggable scanner adapter spec v1.2, copied unedited (openapi/third-party/harbor/SOURCES.md). */
export const HARBOR_SPEC_PATH = fileURLToPath(
  new URL('../../../../openapi/third-party/harbor/scanner-adapter-openapi-v1.2.yaml', import.meta.url),
);

/** The copied file's sha256 as SOURCES.md records it; a test holds the file to it. */
export const HARBOR_SPEC_SHA256 = '122fb4af963c2c1e32dfeb25ba72e868006223374785774f03ea1f1d21ecf19a';

export const HARBOR_SPEC_ID = 'harbor-scanner-adapter';

export function loadHarborSpec(path: string = HARBOR_SPEC_PATH): Record<string, unknown> {
  const document: unknown = parse(readFileSync(path, 'utf8'));
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error(`${path} is not an OpenAPI document`);
  }
  return Object.fromEntries(Object.entries(document));
}

/**
 * An ajv holding the spec, for `$ref`s into it (`harbor-scanner-adapter#/components/schemas/…`). The
 * spec is OpenAPI 3.0, whose schemas are JSON Schema draft 4/7 with `nullable`: ajv's default dialect.
 * Not strict: the spec carries keywords JSON Schema does not know (`example`, a `descriptions` typo).
 * `registry.url` (`format: url`) is any absolute http(s) URL. Another exception, read as OpenAPI 3.0.3 says: `nullable` beside no `type` (enabled_capabilities'
 * `parameters`) has no effect, so it is left out of what ajv sees (ajv refuses to compile it); the
 * adapter reads a null `parameters` as an absent one, which is what the spec means by it.
 */
export function harborSpecAjv(spec: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // `url` is no OpenAPI format; ajv-formats' own refuses private and loopback hosts and names without
  // a dot (`http://harbor-core:8080`, how Harbor names its registry inside a cluster).
  ajv.addFormat('url', isHttpUrl);
  ajv.addSchema(withoutTypelessNullable(spec) as object, HARBOR_SPEC_ID);
  return ajv;
}

/** A copy of the document without `nullable` in schema objects that have no `type`. */
function withoutTypelessNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypelessNullable);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const typeless = !entries.some(([key]) => key === 'type');
  return Object.fromEntries(
    entries
      .filter(([key]) => !(key === 'nullable' && typeless))
      .map(([key, inner]) => [key, withoutTypelessNullable(inner)]),
  );
}

export type ScanRequestCheck =
  | { ok: true }
  /** `wrongType`: a JSON value of the wrong type (400 in the spec); otherwise an invalid field (422). */
  | { ok: false; wrongType: boolean; problems: string[] };

/** Validates a scan request body against the spec's `ScanRequest` schema. */
export function createScanRequestCheck(spec: Record<string, unknown>): (body: unknown) => ScanRequestCheck {
  const validate = harborSpecAjv(spec).compile({ $ref: `${HARBOR_SPEC_ID}#/components/schemas/ScanRequest` });
  return (body) => {
    if (validate(withoutNullParameters(body))) return { ok: true };
    const errors = validate.errors ?? [];
    return {
      ok: false,
      wrongType: errors.some((error) => error.keyword === 'type'),
      problems: [...new Set(errors.map(describe))],
    };
  };
}

function describe(error: ErrorObject): string {
  const at = `body${error.instancePath.replaceAll('/', '.')}`;
  const params: Record<string, unknown> = error.params;
  if (error.keyword === 'required') return `${at}: "${String(params.missingProperty)}" is required`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${at}: ${error.message} (${params.allowedValues.join(', ')})`;
  }
  return `${at}: ${error.message ?? error.keyword}`;
}

/** `enabled_capabilities[].parameters: null` (nullable in the spec) as if it were absent. */
export function withoutNullParameters(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('enabled_capabilities' in body)) return body;
  const capabilities = body.enabled_capabilities;
  if (!Array.isArray(capabilities)) return body;
  return {
    ...body,
    enabled_capabilities: capabilities.map((capability: unknown) =>
      typeof capability === 'object' &&
      capability !== null &&
      'parameters' in capability &&
      capability.parameters === null
        ? Object.fromEntries(Object.entries(capability).filter(([key]) => key !== 'parameters'))
        : capability,
    ),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}
