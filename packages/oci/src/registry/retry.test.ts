import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  isTransientNetworkError,
  parseRetryAfter,
  retryPolicyFrom,
} from './retry.js';

describe('retry policy', () => {
  it('backs off exponentially with jitter between half and all of the ceiling, capped', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0)),
      [50, 100, 200, 400, 500],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0.999999)),
      [100, 200, 400, 800, 1000],
    );
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
  });

  it('retries server errors but not 501/505 or client errors', () => {
    assert.deepEqual([500, 502, 503, 504, 501, 505, 404, 400].map(isRetryableStatus), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('recognises transient network errors, also as a cause', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    assert.equal(isTransientNetworkError(reset), true);
    assert.equal(isTransientNetworkError(new Error('wrapped', { cause: reset })), true);
    assert.equal(
      isTransientNetworkError(Object.assign(new Error('cert'), { code: 'CERT_HAS_EXPIRED' })),
      false,
    );
    assert.equal(isTransientNetworkError('string'), false);
  });

  it('rejects impossible policies up front', () => {
    assert.throws(
      () => retryPolicyFrom({ maxAttempts: 0 }),
      (error: unknown) => isCustomsError(error, 'INVALID_OPTION'),
    );
    assert.throws(
      () => retryPolicyFrom({ baseDelayMs: -1 }),
      (error: unknown) => isCustomsError(error, 'INVALID_OPTION'),
    );
    assert.equal(retryPolicyFrom({ maxAttempts: 2 }).maxAttempts, 2);
  });
});
