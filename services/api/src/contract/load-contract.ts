import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** openapi/customs.yaml: the source of truth for routes, shapes, scopes and error codes. */
export const CONTRACT_PATH = fileURLToPath(new URL('../../../../openapi/customs.yaml', import.meta.url));

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation as the router needs it: where it lives, what it needs, and the JSON pointer to it. */
export interface ContractOperation {
  operationId: string;
  method: HttpMethod;
  /** As the contract writes it: `/v1/images/{digest}/verdict`. */
  path: string;
  /**
   * `x-required-scope`: a scope, or a list of which any one will do (the handler may then narrow what
   * each one sees); null for open operations.
   */
  scopes: readonly string[] | null;
  /** `#/paths/~1v1~1scans/post`: where validators find its parameters and body. */
  pointer: string;
  parameters: readonly ContractParameter[];
  hasJsonBody: boolean;
}

export interface ContractParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  /** JSON pointer to the parameter's schema (through a `$ref` where the contract uses one). */
  schemaPointer: string;
  /** The schema's `default`, if any: validators fill it in (ajv does not look through `$ref` for it). */
  default?: unknown;
}

export interface Contract {
  /** The YAML as written, served at /openapi.yaml. */
  text: string;
  /** The parsed document, for validators. */
  document: Record<string, unknown>;
  operations: ContractOperation[];
}

/** Reads and indexes the contract once, at app creation. */
export function loadContract(path: string = CONTRACT_PATH): Contract {
  const text = readFileSync(path, 'utf8');
  const document = asObject(parse(text), 'the contract');
  const operations: ContractOperation[] = [];
  for (const [route, item] of Object.entries(asObject(document.paths, 'paths'))) {
    for (const method of HTTP_METHODS) {
      const operation = asObject(item, route)[method];
      if (operation === undefined) continue;
      operations.push(readOperation(document, route, method, asObject(operation, `${method} ${route}`)));
    }
  }
  return { text, document, operations };
}

function readOperation(
  document: Record<string, unknown>,
  route: string,
  method: HttpMethod,
  operation: Record<string, unknown>,
): ContractOperation {
  const pointer = `#/paths/${escapePointer(route)}/${method}`;
  const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
  const scope = operation['x-required-scope'];
  const body = operation.requestBody === undefined ? null : asObject(operation.requestBody, 'requestBody');
  return {
    operationId: String(operation.operationId),
    method,
    path: route,
    scopes: scopesOf(scope, `${method} ${route}`),
    pointer,
    parameters: parameters.map((parameter: unknown, index): ContractParameter => {
      const written = asObject(parameter, `${route} parameter ${index}`);
      const at = typeof written.$ref === 'string' ? written.$ref : `${pointer}/parameters/${index}`;
      const read = typeof written.$ref === 'string' ? asObject(resolvePointer(document, at), at) : written;
      const where = read.in === 'path' ? 'path' : 'query';
      const schema = asObject(read.schema ?? {}, `${route} parameter ${index} schema`);
      return {
        name: String(read.name),
        in: where,
        required: read.required === true,
        schemaPointer: `${at}/schema`,
        ...('default' in schema && { default: schema.default }),
      };
    }),
    hasJsonBody: body !== null && 'application/json' in asObject(body.content, 'requestBody content'),
  };
}

function scopesOf(written: unknown, where: string): readonly string[] | null {
  if (written === undefined) return null;
  const scopes = Array.isArray(written) ? written : [written];
  if (scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string')) {
    throw new Error(
      `x-required-scope of ${where} in the OpenAPI contract is not a scope or a list of scopes`,
    );
  }
  return scopes;
}

/** The value a local JSON pointer (`#/components/parameters/Digest`) names in the document. */
function resolvePointer(document: Record<string, unknown>, pointer: string): unknown {
  let value: unknown = document;
  for (const segment of pointer.replace(/^#\//, '').split('/')) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    value = asObject(value, pointer)[key];
  }
  return value;
}

/** JSON pointer escaping (RFC 6901): `~` and `/`. */
export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} in the OpenAPI contract is not an object`);
  }
  return Object.fromEntries(Object.entries(value));
}
