import { existsSync } from 'node:fs';
import {
  loadSigningKey,
  pushScanResults,
  SBOM_ARTIFACT_TYPES,
  vulnStatement,
  type SbomArtifactFormat,
  type Signer,
  type SigningKeySource,
} from '@customs/attestations';
import type { IndexedImage } from '@customs/indexer';
import { formatImageReference, parseImageReference, type ImageReference } from '@customs/oci';
import { renderSbom, toInventoryDocument, type ScanDocument } from '@customs/report';
import { UsageError, type CliIO } from '../io.js';
import { parseCredentials, parseFormat } from '../target-options.js';
import { toolInfo } from '../tool-info.js';

/** `scan --attest`: push the SBOM and a signed vulnerability attestation back to the image's registry. */
export const ATTEST_OPTIONS = {
  attest: { type: 'boolean' },
  'signing-key': { type: 'string' },
  'sbom-format': { type: 'string' },
} as const;

/** Read only when --signing-key is not given: the PEM text itself, for CI secrets. */
const SIGNING_KEY_ENV = 'CUSTOMS_SIGNING_KEY';

export interface AttestPlan {
  image: ImageReference;
  signer: Signer;
  sbomFormat: SbomArtifactFormat;
}

interface AttestFlags {
  attest?: boolean | undefined;
  'signing-key'?: string | undefined;
  'sbom-format'?: string | undefined;
}

/**
 * What `--attest` will push, decided before anything is scanned: the key is loaded now, so a missing or
 * wrong key stops the command before the work rather than after it.
 */
export async function planAttestation(
  target: string,
  values: AttestFlags,
  env: CliIO['env'],
): Promise<AttestPlan | null> {
  if (values.attest !== true) {
    if (values['signing-key'] !== undefined || values['sbom-format'] !== undefined)
      throw new UsageError('--signing-key and --sbom-format go with --attest');
    return null;
  }
  const formats = Object.keys(SBOM_ARTIFACT_TYPES) as SbomArtifactFormat[];
  const sbomFormat = parseFormat(values['sbom-format'], formats, 'cyclonedx');
  const source: SigningKeySource | null =
    values['signing-key'] !== undefined
      ? { file: values['signing-key'] }
      : env[SIGNING_KEY_ENV]
        ? { env: SIGNING_KEY_ENV }
        : null;
  if (source === null)
    throw new UsageError(
      `--attest signs: give --signing-key FILE (a PEM private key) or set ${SIGNING_KEY_ENV}`,
    );
  return { image: registryImage(target), signer: await loadSigningKey(source, env), sbomFormat };
}

/** The attestation goes back where the image came from, so the target must be a registry image. */
function registryImage(target: string): ImageReference {
  const name = target.replace(/^(docker:\/\/|registry:)/, '');
  const local =
    name === target && (existsSync(target) || /^(oci|oci-archive|docker-archive|dir):/.test(target));
  if (local)
    throw new UsageError(`--attest pushes to the image's registry: ${target} is not a registry image`);
  try {
    return parseImageReference(name);
  } catch {
    throw new UsageError(`--attest pushes to the image's registry: ${target} is not a registry image`);
  }
}

export interface AttestedScan {
  image: IndexedImage;
  document: ScanDocument;
}

/**
 * For each scanned platform image: the SBOM and the signed cosign vuln/v1 statement (its result is the
 * scan document, as `--format json` prints it) pushed as referrers of the image's manifest.
 */
export async function pushAttestations(
  plan: AttestPlan,
  scans: readonly AttestedScan[],
  meta: { db: { uri: string; version: string }; parameters: string[]; startedAt: Date },
  values: {
    username?: string | undefined;
    password?: string | undefined;
    'insecure-registry'?: string[] | undefined;
  },
  io: CliIO,
): Promise<void> {
  const credentials = parseCredentials(values, io.env);
  const options = {
    ...(credentials && { credentials: () => credentials }),
    insecureRegistries: values['insecure-registry'] ?? [],
  };
  const tool = toolInfo();
  const name = `${plan.image.registry}/${plan.image.repository}`;
  for (const { image, document } of scans) {
    if (image.manifestDigest === null) continue;
    const subject = formatImageReference({ ...plan.image, tag: null, digest: image.manifestDigest });
    const sbom = renderSbom(plan.sbomFormat, toInventoryDocument(name, image), { tool });
    const statement = vulnStatement({
      subject: { name, digest: image.manifestDigest },
      scanner: {
        uri: `pkg:generic/customs@${tool.version}`,
        version: tool.version,
        db: meta.db,
        result: document,
      },
      parameters: meta.parameters,
      startedAt: meta.startedAt,
      finishedAt: new Date(),
    });
    const pushed = await pushScanResults(
      {
        subject,
        sbom: { format: plan.sbomFormat, document: JSON.parse(sbom) as unknown },
        attestation: { statement, signer: plan.signer },
        createdAt: new Date(),
      },
      options,
    );
    for (const referrer of pushed) {
      const listed = referrer.fallbackTag === null ? 'referrers API' : `tag ${referrer.fallbackTag}`;
      io.stderr.write(
        `customs scan: pushed ${referrer.descriptor.artifactType} for ${subject} as ${referrer.descriptor.digest} (listed by ${listed})\n`,
      );
    }
  }
}
