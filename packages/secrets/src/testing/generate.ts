import { createHmac, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { encodeBase62 } from '../base62.js';

// Generated test credentials: random every run, in the published formats, never real ones.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomFrom(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet.charAt(randomInt(alphabet.length))).join('');
}

/** A token in GitHub's (and npm's) checksummed format: prefix + 30 random + base62 CRC32. */
export function checksummedToken(prefix: string): string {
  const random = randomFrom(BASE62, 30);
  return `${prefix}${random}${encodeBase62(crc32(random), 6)}`;
}

export function awsAccessKeyId(): string {
  return `AKIA${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
}

export function awsSecretAccessKey(): string {
  return randomFrom(`${BASE62}+/`, 40);
}

export function rsaPrivateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function hmacJwt(): string {
  const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment({ sub: randomFrom(BASE62, 12), iat: 1 })}`;
  return `${body}.${createHmac('sha256', randomBytes(32)).update(body).digest('base64url')}`;
}

export function azureAccountKey(): string {
  return randomBytes(64).toString('base64');
}
