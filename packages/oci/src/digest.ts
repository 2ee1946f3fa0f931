import { createHash, type Hash } from 'node:crypto';
import { OciError } from './errors.js';

/** The algorithms the OCI image spec registers, with the length of their hex encoding. */
const hexLengths = { sha256: 64, sha512: 128 } as const;

export type DigestAlgorithm = keyof typeof hexLengths;

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

function isAlgorithm(name: string): name is DigestAlgorithm {
  return Object.hasOwn(hexLengths, name);
}

/** Parses `sha256:<64 hex>` (or sha512); anything else is DIGEST_INVALID, since it cannot be verified. */
export function parseDigest(digest: string): ParsedDigest {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (colon < 1 || !isAlgorithm(algorithm)) {
    throw new OciError('DIGEST_INVALID', `digest "${digest}" does not use sha256 or sha512`, {
      hint: 'Customs verifies every blob, so it only accepts digests it can compute',
    });
  }
  if (hex.length !== hexLengths[algorithm] || !/^[a-f0-9]+$/.test(hex)) {
    throw new OciError(
      'DIGEST_INVALID',
      `digest "${digest}" is not ${hexLengths[algorithm]} lowercase hex digits`,
    );
  }
  return { algorithm, hex };
}

export function isValidDigest(digest: string): boolean {
  try {
    parseDigest(digest);
    return true;
  } catch {
    return false;
  }
}

export function createDigester(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
