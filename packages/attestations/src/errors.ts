import { CustomsError, errorCodesIn } from '@customs/errors';

/** Every code this package raises itself; registry failures pass through as @customs/oci raised them. */
export const attestationErrorCodes = errorCodesIn('attestations');

/**
 * The configured key cannot be read. The message names where it was looked for (a path, a variable
 * name), never what was found there.
 */
export class SigningKeyUnreadableError extends CustomsError {
  constructor(where: string, problem: string) {
    super('SIGNING_KEY_UNREADABLE', `the attestation signing key ${where} ${problem}`, {
      hint: 'point attestations.signingKey (or --signing-key) at a readable PEM private key',
    });
  }
}

/**
 * What was read is not a key Customs can sign with. The parser's own message is left out on purpose:
 * it is about the bytes, and the bytes are the secret.
 */
export class SigningKeyInvalidError extends CustomsError {
  constructor(where: string, problem: string) {
    super('SIGNING_KEY_INVALID', `the attestation signing key ${where} ${problem}`, {
      hint: 'use an unencrypted PEM private key: openssl genpkey -algorithm ed25519, or -algorithm EC -pkeyopt ec_paramgen_curve:P-256',
    });
  }
}
