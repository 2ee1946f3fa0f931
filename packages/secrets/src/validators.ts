import { crc32 } from 'node:zlib';
import { decodeBase62 } from './base62.js';

/**
 * GitHub's 2021 token format (also npm's): prefix, 30 random base62 characters, then the CRC32 of those
 * 30 characters written as 6 base62 digits. A random 36-character string passes with odds of 1 in 2^32.
 */
export function hasTokenChecksum(token: string, prefix: string): boolean {
  const body = token.slice(prefix.length);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  return decodeBase62(body.slice(30)) === crc32(random);
}

/** Bytes a standard or URL-safe base64 text decodes to, or -1 when it is not base64. */
export function base64Length(text: string): number {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return -1;
  return Buffer.from(text, 'base64').length;
}

/** The JSON object a base64url segment holds, or null. */
export function decodeJsonSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A JWT: a header naming its algorithm and a payload that are both JSON objects. */
export function isJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  if (header === undefined || payload === undefined) return false;
  const decodedHeader = decodeJsonSegment(header);
  return typeof decodedHeader?.alg === 'string' && decodeJsonSegment(payload) !== null;
}

/** Shannon entropy in bits per character: random keys are high, words and repeated filler low. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
