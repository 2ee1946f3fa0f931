import { createPublicKey, verify } from 'node:crypto';
import type { Signer } from './signing-key.js';

/** The payload type of an in-toto statement in a DSSE envelope. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse, v1.0): payload and signatures base64. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/**
 * DSSE's pre-authentication encoding, what is actually signed:
 * "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal byte counts.
 */
export function preAuthenticationEncoding(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${body.length} `, 'utf8'),
    body,
  ]);
}

/** Signs `body` (already serialised: the signature covers these exact bytes) into an envelope. */
export function signEnvelope(payloadType: string, body: Buffer, signer: Signer): DsseEnvelope {
  const signature = signer.sign(preAuthenticationEncoding(payloadType, body));
  return {
    payloadType,
    payload: body.toString('base64'),
    signatures: [{ keyid: signer.keyid, sig: signature.toString('base64') }],
  };
}

/**
 * Whether any signature of the envelope verifies with `publicKeyPem` (ECDSA P-256 with SHA-256, or
 * Ed25519, by the key's kind). Only a check for callers that hold the key; it trusts nothing else.
 */
export function verifyEnvelope(envelope: DsseEnvelope, publicKeyPem: string): boolean {
  const key = createPublicKey(publicKeyPem);
  const pae = preAuthenticationEncoding(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  const digest = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return envelope.signatures.some((signature) =>
    verify(digest, pae, { key, dsaEncoding: 'der' }, Buffer.from(signature.sig, 'base64')),
  );
}
