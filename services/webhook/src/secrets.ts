import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, type AuthCheck, type IncomingDelivery } from './receivers/receiver.js';

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether two secrets are equal, in time that depends on neither: both are hashed first, so
 * timingSafeEqual always compares 32 bytes and not even the length of the expected secret leaks.
 */
export function secretsEqual(expected: string, given: string | null): boolean {
  // An absent value still costs a comparison, so "missing" and "wrong" take the same time.
  const equal = timingSafeEqual(digest(expected), digest(given ?? ''));
  return equal && given !== null;
}

/** A static header (Authorization, x-api-key) that must carry the configured value exactly. */
export function checkHeaderSecret(delivery: IncomingDelivery, header: string, expected: string): AuthCheck {
  const given = headerValue(delivery.headers, header);
  if (given === null) return { ok: false, reason: `no ${header} header` };
  return secretsEqual(expected, given) ? { ok: true } : { ok: false, reason: `wrong ${header} header` };
}

/** A secret in the URL path (senders that can neither sign nor add headers: Docker Hub, Quay). */
export function checkPathSecret(delivery: IncomingDelivery, expected: string): AuthCheck {
  const given = delivery.params.secret ?? null;
  return secretsEqual(expected, given) ? { ok: true } : { ok: false, reason: 'wrong secret in the URL path' };
}

/** GitHub's X-Hub-Signature-256: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
export function checkHubSignature(delivery: IncomingDelivery, secret: string): AuthCheck {
  const given = headerValue(delivery.headers, 'x-hub-signature-256');
  if (given === null) return { ok: false, reason: 'no X-Hub-Signature-256 header' };
  const expected = `sha256=${createHmac('sha256', secret).update(delivery.rawBody).digest('hex')}`;
  return secretsEqual(expected, given.trim().toLowerCase())
    ? { ok: true }
    : { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
}
