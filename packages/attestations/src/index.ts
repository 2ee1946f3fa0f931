export { COSIGN_VULN_PREDICATE_TYPE, IN_TOTO_STATEMENT_V1, vulnStatement } from './vuln-statement.js';
export type { InTotoStatement, StatementSubject, VulnScanner, VulnStatementInput } from './vuln-statement.js';
export { IN_TOTO_PAYLOAD_TYPE, preAuthenticationEncoding, signEnvelope, verifyEnvelope } from './dsse.js';
export type { DsseEnvelope } from './dsse.js';
export { loadSigningKey, signerFromPem } from './signing-key.js';
export type { Signer, SigningAlgorithm, SigningKeySource } from './signing-key.js';
export {
  DSSE_ENVELOPE_MEDIA_TYPE,
  PREDICATE_TYPE_ANNOTATION,
  SBOM_ARTIFACT_TYPES,
  pushScanResults,
  signStatement,
} from './push-scan-results.js';
export type { SbomArtifactFormat, ScanResultsPush } from './push-scan-results.js';
export { SigningKeyInvalidError, SigningKeyUnreadableError, attestationErrorCodes } from './errors.js';
