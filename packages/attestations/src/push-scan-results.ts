import { pushReferrer, type PushedReferrer, type RegistryClientOptions } from '@customs/oci';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from './dsse.js';
import type { Signer } from './signing-key.js';
import type { InTotoStatement } from './vuln-statement.js';

/** The artifact types (and layer media types) an SBOM is pushed with, per format. */
export const SBOM_ARTIFACT_TYPES = {
  cyclonedx: 'application/vnd.cyclonedx+json',
  spdx: 'application/spdx+json',
} as const;

export type SbomArtifactFormat = keyof typeof SBOM_ARTIFACT_TYPES;

/** A DSSE envelope as an OCI artifact (and its one layer). */
export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';

/** Where tools that list attestations (Docker's, ORAS) read the predicate type without the layer. */
export const PREDICATE_TYPE_ANNOTATION = 'in-toto.io/predicate-type';

/** A statement signed as DSSE wants it: the exact serialised bytes are the payload. */
export function signStatement(statement: InTotoStatement, signer: Signer): DsseEnvelope {
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), signer);
}

export interface ScanResultsPush {
  /** The scanned image, `registry/repository@sha256:…`: the subject of both artifacts. */
  subject: string;
  sbom?: { format: SbomArtifactFormat; document: unknown };
  attestation?: { statement: InTotoStatement; signer: Signer };
  /** `org.opencontainers.image.created` of the artifacts. */
  createdAt: Date;
}

/**
 * Pushes the SBOM and the signed vulnerability attestation as OCI 1.1 referrers of the image (the
 * referrers API where the registry has it, else the `sha256-<hex>` tag). The key signs in memory;
 * only the envelope (payload, signature, key id) leaves.
 */
export async function pushScanResults(
  push: ScanResultsPush,
  options: RegistryClientOptions = {},
): Promise<PushedReferrer[]> {
  const created = { 'org.opencontainers.image.created': push.createdAt.toISOString() };
  const pushed: PushedReferrer[] = [];
  if (push.sbom) {
    const type = SBOM_ARTIFACT_TYPES[push.sbom.format];
    const content = Buffer.from(JSON.stringify(push.sbom.document), 'utf8');
    pushed.push(
      await pushReferrer(
        { subject: push.subject, artifactType: type, mediaType: type, content, annotations: created },
        options,
      ),
    );
  }
  if (push.attestation) {
    const envelope = signStatement(push.attestation.statement, push.attestation.signer);
    const annotations = { ...created, [PREDICATE_TYPE_ANNOTATION]: push.attestation.statement.predicateType };
    pushed.push(
      await pushReferrer(
        {
          subject: push.subject,
          artifactType: DSSE_ENVELOPE_MEDIA_TYPE,
          mediaType: DSSE_ENVELOPE_MEDIA_TYPE,
          content: Buffer.from(JSON.stringify(envelope), 'utf8'),
          annotations,
        },
        options,
      ),
    );
  }
  return pushed;
}
