import assert from 'node:assert/strict';
import test from 'node:test';
import { errorCodes, errorCodesIn, isErrorCode, type ErrorArea, type ErrorCode } from './codes.js';
import { CustomsError, errorDocument, isRetryable } from './index.js';

const codes = Object.keys(errorCodes) as ErrorCode[];

test('codes are SCREAMING_SNAKE_CASE and each says in one line what happened and what to do', () => {
  for (const code of codes) {
    assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, code);
    const { summary, action } = errorCodes[code];
    for (const line of [summary, action]) {
      assert.match(line, /^[^\n]{10,130}[.)]$/, `${code}: "${line}" is one sentence-like line`);
    }
  }
});

test('every code belongs to exactly one area, and every area lists its codes', () => {
  const areas = [...new Set(codes.map((code) => errorCodes[code].area))] as ErrorArea[];
  const listed = areas.flatMap((area) => errorCodesIn(area));
  assert.deepEqual([...listed].sort(), [...codes].sort());
  assert.deepEqual(errorCodesIn('db'), [
    'DB_UNAVAILABLE',
    'DB_LOCKED',
    'DB_SCHEMA_NEWER',
    'DB_MIGRATION_FAILED',
    'DB_OPEN_FAILED',
    'DB_SERVER_CONTROL_INVALID',
  ]);
});

test('names and retryability agree: unavailable is transient; invalid, not found and mismatch are not', () => {
  for (const code of codes) {
    const retryable: boolean = errorCodes[code].retryable;
    if (/_UNAVAILABLE$/.test(code)) assert.equal(retryable, true, code);
    if (/(^INVALID_|_INVALID$|_NOT_FOUND$|_MISMATCH$|_UNSUPPORTED$|^UNSUPPORTED_)/.test(code))
      assert.equal(retryable, false, code);
  }
});

test('isRetryable reads the table; anything undeclared is judged as INTERNAL', () => {
  assert.equal(isRetryable(new CustomsError('REGISTRY_UNAVAILABLE', 'down')), true);
  assert.equal(isRetryable(new CustomsError('MANIFEST_NOT_FOUND', 'gone')), false);
  assert.equal(isRetryable(new Error('pg: connection terminated')), errorCodes.INTERNAL.retryable);
  const fromAnotherCopy = { [Symbol.for('customs.error')]: true, code: 'SOME_FUTURE_CODE' };
  assert.equal(isRetryable(fromAnotherCopy), errorCodes.INTERNAL.retryable);
  const lookalikeFinal = { [Symbol.for('customs.error')]: true, code: 'LAYER_CORRUPT' };
  assert.equal(isRetryable(lookalikeFinal), false);
});

test('isErrorCode tells declared codes from stored or received strings', () => {
  assert.equal(isErrorCode('BLOB_NOT_FOUND'), true);
  assert.equal(isErrorCode('CONFIG_INVALID'), false);
  assert.equal(isErrorCode('toString'), false);
});

test('an error document carries a hint only when there is one', () => {
  assert.deepEqual(errorDocument('SCAN_NOT_FOUND', 'no scan x'), {
    error: { code: 'SCAN_NOT_FOUND', message: 'no scan x' },
  });
  assert.deepEqual(errorDocument('SCAN_NOT_FOUND', 'no scan x', 'use the id'), {
    error: { code: 'SCAN_NOT_FOUND', message: 'no scan x', hint: 'use the id' },
  });
});
