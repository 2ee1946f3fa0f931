import assert from 'node:assert/strict';
import type { ValidateFunction } from 'ajv';
import { harborSpecAjv, HARBOR_SPEC_ID, loadHarborSpec } from '../harbor/harbor-spec.js';

const spec = loadHarborSpec();
const ajv = harborSpecAjv(spec);
const compiled = new Map<string, ValidateFunction>();

const PATHS = {
  GetMetadata: '#/paths/~1metadata/get',
  AcceptScanRequest: '#/paths/~1scan/post',
  GetScanReport: '#/paths/~1scan~1{scan_request_id}~1report/get',
} as const;

/** A schema of the spec by JSON pointer, compiled once. */
export function harborSchema(pointer: string): ValidateFunction {
  const key = `${HARBOR_SPEC_ID}${pointer}`;
  const validate = compiled.get(key) ?? ajv.compile({ $ref: key });
  compiled.set(key, validate);
  return validate;
}

/**
 * Asserts an answer is one the Harbor spec declares: a listed status; for a status with content, a
 * Content-Type that is exactly one of its media types and a body of that media type's schema; for one
 * without, no body. (401 is not in the spec, which declares only its security schemes: its body is
 * held to ErrorResponse.)
 */
export function assertHarborAnswer(
  operation: keyof typeof PATHS,
  answer: { status: number; headers: Record<string, string | undefined>; text: string },
): void {
  const contentType = answer.headers['content-type'] ?? '';
  if (answer.status === 401) {
    assert.equal(contentType, 'application/vnd.scanner.adapter.error+json; version=1.0');
    assertValid(harborSchema('#/components/schemas/ErrorResponse'), JSON.parse(answer.text));
    return;
  }
  const pointer = `${PATHS[operation]}/responses/${answer.status}`;
  const response = lookup(pointer);
  assert.ok(response, `${operation} does not declare ${answer.status}: ${answer.text}`);
  const content = response.content as Record<string, unknown> | undefined;
  if (content === undefined) {
    assert.equal(answer.text, '', `${operation} ${answer.status} has a body the spec does not declare`);
    return;
  }
  assert.ok(Object.hasOwn(content, contentType), `${operation} ${answer.status}: ${contentType}`);
  const escaped = contentType.replaceAll('~', '~0').replaceAll('/', '~1');
  assertValid(harborSchema(`${pointer}/content/${escaped}/schema`), JSON.parse(answer.text));
}

function assertValid(validate: ValidateFunction, value: unknown): void {
  assert.ok(validate(value), JSON.stringify(validate.errors?.slice(0, 5)));
}

function lookup(pointer: string): Record<string, unknown> | undefined {
  let value: unknown = spec;
  for (const segment of pointer.replace(/^#\//, '').split('/')) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
