import assert from 'node:assert/strict';
import test from 'node:test';
import { CustomsError } from '@customs/errors';
import { LayerCorruptError, layerErrorCodes, LayerTruncatedError } from '@customs/layers';
import { ociErrorCodes, RegistryAuthError, RegistryUnavailableError } from '@customs/oci';
import { scanErrorCodes } from '@customs/scans';
import { LayerLeaseAbortedError } from '@customs/store';
import { classifyFailure, FINAL_CODES, RETRYABLE_CODES, UNEXPECTED_CODE } from './failure.js';

test('every code the registry client, the layer walker and the scan use-case raise is judged on purpose, once', () => {
  const codes = [...ociErrorCodes, ...layerErrorCodes, ...scanErrorCodes];
  const unjudged = codes.filter((code) => !RETRYABLE_CODES.has(code) && !FINAL_CODES.has(code));
  const both = codes.filter((code) => RETRYABLE_CODES.has(code) && FINAL_CODES.has(code));
  assert.deepEqual(unjudged, []);
  assert.deepEqual(both, []);
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
