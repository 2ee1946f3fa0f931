import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { escapePointer, loadContract } from '../contract/load-contract.js';

const addFormats = addFormatsModule.default;
const contract = loadContract();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(contract.document, 'customs');
const compiled = new Map<string, ValidateFunction>();

/** Asserts an answer is one the contract declares for the operation, with a body of that schema. */
export function assertContract(
  operationId: string,
  status: number,
  body: unknown,
  mediaType = 'application/json',
): void {
  const operation = contract.operations.find((candidate) => candidate.operationId === operationId);
  assert.ok(operation, `the contract has no operation ${operationId}`);
  const responses = lookup(contract.document, `${operation.pointer}/responses`);
  let response = lookup(responses, String(status));
  assert.ok(response, `${operationId} does not declare a ${status} response`);
  let pointer = `${operation.pointer}/responses/${status}`;
  if (typeof response.$ref === 'string') {
    pointer = response.$ref;
    response = lookup(contract.document, pointer);
  }
  const schemaPointer = `${pointer}/content/${escapePointer(mediaType)}/schema`;
  const key = `customs${schemaPointer}`;
  const validate = compiled.get(key) ?? ajv.compile({ $ref: key });
  compiled.set(key, validate);
  assert.ok(validate(body), `${operationId} ${status}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
}

function lookup(from: unknown, pointer: string): Record<string, unknown> {
  let value: unknown = from;
  for (const segment of pointer.replace(/^#\//, '').split('/')) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};
}
