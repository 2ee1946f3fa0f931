import assert from 'node:assert/strict';
import test from 'node:test';
import { CustomsError, describeError, InvalidOptionError, isCustomsError } from './index.js';

test('an error names where it happened and what to do, on one line', () => {
  const error = new CustomsError('BLOB_DIGEST_MISMATCH', 'content does not match its digest', {
    hint: 'push the image again',
  }).within({ image: 'registry.local/app:1', layer: 'sha256:abc' });
  assert.equal(
    error.toLine(),
    'image registry.local/app:1, layer sha256:abc: content does not match its digest (push the image again)',
  );
  assert.equal(error.code, 'BLOB_DIGEST_MISMATCH');
  assert.ok(error instanceof CustomsError);
});

test('within keeps the innermost context and does not touch the original', () => {
  const inner = new CustomsError('LAYER_CORRUPT', 'boom', { context: { layer: 'sha256:inner' } });
  const outer = inner.within({ image: 'img', layer: 'sha256:outer' });
  assert.deepEqual(outer.context, { image: 'img', layer: 'sha256:inner' });
  assert.deepEqual(inner.context, { layer: 'sha256:inner' });
  assert.equal(outer.message, 'boom');
});

test('isCustomsError checks the brand and optionally the code', () => {
  const error = new InvalidOptionError('concurrency', 'must be a positive integer');
  assert.ok(isCustomsError(error));
  assert.ok(isCustomsError(error, 'INVALID_OPTION'));
  assert.ok(!isCustomsError(error, 'INVALID_INPUT'));
  assert.ok(!isCustomsError(new Error('plain')));
  const lookalike = { [Symbol.for('customs.error')]: true, code: 'INVALID_OPTION' };
  assert.ok(isCustomsError(lookalike));
});

test('describeError renders plain errors with their cause', () => {
  assert.equal(describeError(new Error('outer', { cause: new Error('inner') })), 'outer: inner');
  assert.equal(describeError('text'), 'text');
});
