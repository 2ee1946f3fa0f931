import { pushScanResults, vulnStatement, type SbomArtifactFormat, type Signer } from '@customs/attestations';
import type { RegistryConfig } from '@customs/config';
import { describeError } from '@customs/errors';
import type { IndexedImage } from '@customs/indexer';
import { renderSbom, toInventoryDocument } from '@customs/report';
import type { ScanImage } from '@customs/store';
import { requireRegistry } from './configured-registry.js';
import type { ScanLogger } from './logger.js';
import { registryClientOptions, type RegistryClientTuning } from './registry-client.js';
import { SCAN_TOOL } from './sboms.js';

/** `attestations.push`: what is pushed back to the registry for every image a scan indexes. */
export interface ScanAttestations {
  signer: Signer;
  sbomFormat: SbomArtifactFormat;
  /**
   * What the attestation states about an image (`target`: `registry/repository@digest`): its report
   * against the vulnerability data now, and which data version that is.
   */
  describe(
    image: IndexedImage,
    target: string,
  ): Promise<{ result: unknown; db: { uri: string; version: string } }>;
}

export interface AttestImagesDeps {
  attestations: ScanAttestations;
  registries: readonly RegistryConfig[];
  registryClient?: RegistryClientTuning;
  logger: ScanLogger;
  now(): number;
}

/**
 * Pushes each image's SBOM and signed vulnerability attestation as referrers of its manifest, with
 * the configured credentials of its registry (never a credential a scan request brought: Harbor's
 * robot accounts pull). A push that fails does not fail the scan: it becomes a warning of that image,
 * stored with it and shown with its verdict and report.
 */
export async function attestImages(
  deps: AttestImagesDeps,
  images: readonly ScanImage[],
  startedAt: number,
): Promise<ScanImage[]> {
  const attested: ScanImage[] = [];
  for (const scanned of images) {
    const warning = await attestImage(deps, scanned, startedAt).then(
      () => null,
      (error: unknown) => `attestation not pushed to the registry: ${describeError(error)}`,
    );
    if (warning !== null)
      deps.logger.info({ manifest: scanned.image.manifestDigest, warning }, 'attestation not pushed');
    attested.push(
      warning === null
        ? scanned
        : { ...scanned, image: { ...scanned.image, warnings: [...scanned.image.warnings, warning] } },
    );
  }
  return attested;
}

async function attestImage(deps: AttestImagesDeps, scanned: ScanImage, startedAt: number): Promise<void> {
  const { image, where } = scanned;
  const digest = image.manifestDigest;
  if (digest === null) return;
  const registry = requireRegistry(deps.registries, where.registry);
  const name = `${where.registry}/${where.repository}`;
  const target = `${name}@${digest}`;
  const { attestations } = deps;
  const described = await attestations.describe(image, target);
  const statement = vulnStatement({
    subject: { name, digest },
    scanner: {
      uri: `pkg:generic/customs@${SCAN_TOOL.version}`,
      version: SCAN_TOOL.version,
      db: described.db,
      result: described.result,
    },
    startedAt: new Date(startedAt),
    finishedAt: new Date(deps.now()),
  });
  const sbom = renderSbom(attestations.sbomFormat, toInventoryDocument(target, image), { tool: SCAN_TOOL });
  const pushed = await pushScanResults(
    {
      subject: `${registry.host}/${where.repository}@${digest}`,
      sbom: { format: attestations.sbomFormat, document: JSON.parse(sbom) as unknown },
      attestation: { statement, signer: attestations.signer },
      createdAt: new Date(deps.now()),
    },
    registryClientOptions(registry, deps.registryClient),
  );
  deps.logger.info(
    {
      manifest: digest,
      referrers: pushed.map((referrer) => referrer.descriptor.digest),
      listedBy: pushed[0]?.listedBy,
    },
    'attestation pushed',
  );
}
