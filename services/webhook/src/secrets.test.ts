import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHeaderSecret, checkHubSignature, checkPathSecret, secretsEqual } from './secrets.js';
import { hubSignature } from './test-support/fixtures.js';

const delivery = (headers: Record<string, string>, params: Record<string, string> = {}, body = '') => ({
  headers,
  params,
  rawBody: Buffer.from(body),
});

test('secretsEqual: equal only for the same value, whatever the lengths', () => {
  assert.equal(secretsEqual('Bearer abc', 'Bearer abc'), true);
  assert.equal(secretsEqual('Bearer abc', 'Bearer abd'), false);
  assert.equal(secretsEqual('Bearer abc', 'Bearer abcd'), false);
  assert.equal(secretsEqual('Bearer abc', ''), false);
  assert.equal(secretsEqual('Bearer abc', null), false);
  // An empty expected value never matches an absent one.
  assert.equal(secretsEqual('', null), false);
});

test('header secrets: missing and wrong are told apart in the (logged) reason only', () => {
  assert.deepEqual(checkHeaderSecret(delivery({ 'x-api-key': 'k1' }), 'x-api-key', 'k1'), { ok: true });
  assert.deepEqual(checkHeaderSecret(delivery({ 'x-api-key': 'k2' }), 'x-api-key', 'k1'), {
    ok: false,
    reason: 'wrong x-api-key header',
  });
  assert.deepEqual(checkHeaderSecret(delivery({}), 'X-Api-Key', 'k1'), {
    ok: false,
    reason: 'no X-Api-Key header',
  });
});

test('path secrets compare the :secret route parameter', () => {
  assert.deepEqual(checkPathSecret(delivery({}, { secret: 's' }), 's'), { ok: true });
  assert.equal(checkPathSecret(delivery({}, { secret: 'S' }), 's').ok, false);
  assert.equal(checkPathSecret(delivery({}), 's').ok, false);
});

test('X-Hub-Signature-256 is the HMAC of the exact bytes; hex case does not matter', () => {
  const body = '{"action":"published"}';
  const signature = hubSignature('topsecret', body);
  assert.deepEqual(checkHubSignature(delivery({ 'x-hub-signature-256': signature }, {}, body), 'topsecret'), {
    ok: true,
  });
  assert.deepEqual(
    checkHubSignature(
      delivery({ 'x-hub-signature-256': signature.toUpperCase().replace('SHA256=', 'sha256=') }, {}, body),
      'topsecret',
    ),
    { ok: true },
  );
  assert.equal(
    checkHubSignature(delivery({ 'x-hub-signature-256': signature }, {}, `${body}\n`), 'topsecret').ok,
    false,
  );
  assert.equal(
    checkHubSignature(delivery({ 'x-hub-signature-256': signature }, {}, body), 'other').ok,
    false,
  );
});
