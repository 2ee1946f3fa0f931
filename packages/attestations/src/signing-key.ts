import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SigningKeyInvalidError, SigningKeyUnreadableError } from './errors.js';

/** Where the key is: a PEM file, or an environment variable holding the PEM text. */
export type SigningKeySource = { file: string } | { env: string };

export type SigningAlgorithm = 'ecdsa-p256-sha256' | 'ed25519';

/**
 * Signs bytes; holds the private key and never shows it. `keyid` is the SHA-256 of the public key's
 * DER SubjectPublicKeyInfo, so a verifier can pick the key without being told which.
 */
export interface Signer {
  readonly keyid: string;
  readonly algorithm: SigningAlgorithm;
  /** The public key as PEM (SPKI), for whoever verifies. */
  readonly publicKeyPem: string;
  sign(data: Buffer): Buffer;
}

/** Reads the key where the configuration says. Errors name the path or variable, never the content. */
export async function loadSigningKey(
  source: SigningKeySource,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Signer> {
  if ('env' in source) {
    const where = `in $${source.env}`;
    const text = env[source.env];
    if (text === undefined || text.trim() === '') throw new SigningKeyUnreadableError(where, 'is not set');
    return signerFromPem(text, where);
  }
  const where = `file ${source.file}`;
  let text: string;
  try {
    text = await readFile(source.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SigningKeyUnreadableError(where, `cannot be read (${code})`);
  }
  return signerFromPem(text, where);
}

/** A signer over a PEM private key; `where` names it in errors. */
export function signerFromPem(pem: string, where = 'given'): Signer {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // Node's message here can quote the decoder's view of the input: never pass it on.
    throw new SigningKeyInvalidError(where, 'is not an unencrypted PEM private key');
  }
  const algorithm = algorithmOf(key, where);
  const publicKey = createPublicKey(key);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    keyid: createHash('sha256').update(der).digest('hex'),
    algorithm,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (data) =>
      algorithm === 'ed25519' ? sign(null, data, key) : sign('sha256', data, { key, dsaEncoding: 'der' }),
  };
}

function algorithmOf(key: KeyObject, where: string): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ecdsa-p256-sha256';
  const kind =
    key.asymmetricKeyType === 'ec' ? `EC ${key.asymmetricKeyDetails?.namedCurve}` : key.asymmetricKeyType;
  throw new SigningKeyInvalidError(
    where,
    `is ${kind ?? 'of an unknown kind'}; ECDSA P-256 and Ed25519 are supported`,
  );
}
