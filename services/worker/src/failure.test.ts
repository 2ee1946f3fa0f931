import assert from 'node:assert/strict';
import test from 'node:test';
import { CustomsError, errorCodes, type ErrorCode } from '@customs/errors';
import { LayerCorruptError, LayerTruncatedError } from '@customs/layers';
import { RegistryAuthError, RegistryUnavailableError } from '@customs/oci';
import { LayerLeaseAbortedError } from '@customs/store';
import { RegistryNotConfiguredError, ScanNotFoundError } from '@customs/scans';
import { classifyFailure, UNEXPECTED_CODE } from './failure.js';

test('every code is retried or final as the error-code table declares it', () => {
  for (const code of Object.keys(errorCodes) as ErrorCode[]) {
    const failure = classifyFailure(new CustomsError(code, 'x'));
    assert.deepEqual([failure.code, failure.retryable], [code, errorCodes[code].retryable]);
  }
});

test("the worker's own failures end the scan at once", () => {
  assert.equal(
    classifyFailure(new RegistryNotConfiguredError('r.example', 'r.example/a@x')).retryable,
    false,
  );
  assert.equal(classifyFailure(new ScanNotFoundError('a3b1', 'r.example/a@x')).retryable, false);
});

test('registry outages, broken transfers and abandoned leases are retried', () => {
  const outage = new RegistryUnavailableError('r.example', 5, 'HTTP 503 from r.example', {
    image: 'r.example/a@x',
  });
  assert.deepEqual(classifyFailure(outage), {
    code: 'REGISTRY_UNAVAILABLE',
    message:
      'image r.example/a@x: registry r.example is unavailable: HTTP 503 from r.example (gave up after 5 attempts) (check that the registry is reachable and try again later)',
    retryable: true,
  });
  assert.equal(classifyFailure(new LayerLeaseAbortedError('sha256:ab', 'shutdown')).retryable, true);
});

test('refused credentials, and corrupt or truncated layers, are final', () => {
  const refused = classifyFailure(
    new RegistryAuthError('r.example', 'the credentials were not accepted for a (HTTP 401)'),
  );
  assert.equal(refused.retryable, false);
  assert.equal(refused.code, 'REGISTRY_AUTH_FAILED');
  assert.match(refused.message, /\(check the username and password configured for this registry/);
  assert.equal(classifyFailure(new LayerCorruptError('not gzip')).retryable, false);
  assert.equal(
    classifyFailure(new LayerTruncatedError('ends early', 'usr/bin/x', 10)).code,
    'LAYER_TRUNCATED',
  );
});

test('a layer failure wrapping a known error is judged by that error; anything unknown is retried', () => {
  const wrapped = new CustomsError('LAYER_SCAN_FAILED', 'x', { cause: new LayerCorruptError('not gzip') });
  assert.deepEqual(
    [classifyFailure(wrapped).code, classifyFailure(wrapped).retryable],
    ['LAYER_CORRUPT', false],
  );
  const foreign = new CustomsError('LAYER_SCAN_FAILED', 'connection terminated', { cause: new Error('pg') });
  assert.deepEqual(
    [classifyFailure(foreign).code, classifyFailure(foreign).retryable],
    ['LAYER_SCAN_FAILED', true],
  );
  assert.deepEqual(classifyFailure(new Error('boom\n  at somewhere')), {
    code: UNEXPECTED_CODE,
    message: 'boom at somewhere',
    retryable: true,
  });
});
