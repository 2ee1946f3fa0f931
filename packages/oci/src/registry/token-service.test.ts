import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expiryOf } from './token-service.js';

describe('token expiry', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

  it('counts expires_in from a plausible issued_at', () => {
    assert.equal(expiryOf({ expires_in: 300, issued_at: at(-20) }, now), now + 280_000);
  });

  it('defaults to 60 s and never goes below it', () => {
    assert.equal(expiryOf({}, now), now + 60_000);
    assert.equal(expiryOf({ expires_in: 5 }, now), now + 60_000);
    assert.equal(expiryOf({ expires_in: 'soon' }, now), now + 60_000);
  });

  it('counts from now when issued_at is in the future, far past, or unreadable', () => {
    assert.equal(expiryOf({ expires_in: 300, issued_at: at(30) }, now), now + 300_000);
    assert.equal(expiryOf({ expires_in: 300, issued_at: at(-200) }, now), now + 300_000);
    assert.equal(expiryOf({ expires_in: 300, issued_at: 'yesterday' }, now), now + 300_000);
  });
});
