import type { RegistryConfig } from '@customs/config';
import type { Indexer } from '@customs/indexer';
import { formatPlatform, type ResolvedImage } from '@customs/oci';
import type { ScanCredential, ScanCredentialStore, ScanImageJob } from '@customs/queue';
import type {
  ArtifactStore,
  IndexChild,
  ScanImage,
  ScanResult,
  ScanStats,
  Store,
  VexStore,
} from '@customs/store';
import { attestImages, type ScanAttestations } from './attest-scan.js';
import { ScanNotFoundError } from './errors.js';
import { indexImage } from './index-image.js';
import type { ScanLogger } from './logger.js';
import { imageName, openImageByDigest, type RegistryClientTuning } from './registry-client.js';
import type { SbomRenderer } from './sboms.js';
import { importVexReferrers } from './vex-referrers.js';

export interface RunScanDeps {
  /** Registries (with credentials) are read from here each time a scan runs. */
  config: { readonly registries: readonly RegistryConfig[] };
  store: Pick<Store, 'scans'>;
  /** Where SBOMs go: `store.artifacts`, or one backed by S3. */
  artifacts: Pick<ArtifactStore, 'put'>;
  /** Built over the shared layer cache (`store.layers`) in a service. */
  indexer: Indexer;
  sboms: readonly SbomRenderer[];
  logger: ScanLogger;
  registryClient?: RegistryClientTuning;
  /**
   * Credentials that came with a scan request (Harbor's robot account), looked up for the job's
   * registry and repository and used instead of the configured ones; forgotten once the scan is done.
   */
  scanCredentials?: Pick<ScanCredentialStore, 'get' | 'forget'>;
  /** `attestations.push`: the SBOM and a signed attestation pushed back as referrers before `done`. */
  attestations?: ScanAttestations;
  /** Where OpenVEX documents attached to the image (OCI referrers) go; absent, none are looked for. */
  vex?: Pick<VexStore, 'put'>;
  now(): number;
}

/** How a run ended: the scan is done now (with what it took), or it already was and nothing ran. */
export type ScanRun = { status: 'done'; stats: ScanStats } | { status: 'already-done' };

/**
 * Runs a requested scan and publishes what it found: pulls the image by digest from its configured
 * registry (every runnable platform of an index), indexes each platform through the layer cache,
 * stores the SBOMs, then stores the inventories, the index's children and the scan's `done` in one
 * transaction, so no reader sees a verdict for an inventory whose scan still says running. A failure
 * is thrown as it is; what it means for the scan (retry or fail) is the caller's.
 */
export async function runScan(
  deps: RunScanDeps,
  job: ScanImageJob,
  signal: AbortSignal = new AbortController().signal,
): Promise<ScanRun> {
  const scan = await deps.store.scans.get(job.scanId);
  if (scan === null) throw new ScanNotFoundError(job.scanId, imageName(job));
  if (scan.status === 'done') return { status: 'already-done' };
  // Another attempt of the same job (BullMQ re-runs one whose lock expired) may have finished meanwhile.
  if (!(await deps.store.scans.started(job.scanId))) return { status: 'already-done' };
  const key = { scanId: job.scanId, registry: job.registry, repository: job.repository };
  const credential = (await deps.scanCredentials?.get(key)) ?? null;
  const startedAt = deps.now();
  const indexed = await indexAll(deps, job, credential, signal);
  const withVex = deps.vex ? await withVexReferrers(deps, deps.vex, job, indexed, credential) : indexed;
  const result = deps.attestations
    ? {
        ...withVex,
        images: await attestImages(
          { ...deps, attestations: deps.attestations, registries: deps.config.registries },
          withVex.images,
          startedAt,
        ),
      }
    : withVex;
  await deps.store.scans.finished(job.scanId, result);
  if (credential !== null) await deps.scanCredentials?.forget(key);
  return { status: 'done', stats: result.stats };
}

async function indexAll(
  deps: RunScanDeps,
  job: ScanImageJob,
  credential: ScanCredential | null,
  signal: AbortSignal,
): Promise<ScanResult & { stats: ScanStats; images: ScanImage[] }> {
  const source = openImageByDigest(deps.config.registries, job, deps.registryClient, credential);
  try {
    const images = await source.resolve({ kind: 'all' });
    const stats = { layersCached: 0, layersFetched: 0 };
    const indexed: ScanImage[] = [];
    const where = { registry: job.registry, repository: job.repository };
    for (const image of images) {
      const one = await indexImage(deps, image, where, signal);
      indexed.push(one.result);
      stats.layersCached += one.stats.layersCached;
      stats.layersFetched += one.stats.layersFetched;
    }
    const children = childrenOf(images);
    const index = children.length > 0 ? { digest: job.digest, children } : undefined;
    return { stats, images: indexed, ...(index && { index }) };
  } finally {
    await source.close();
  }
}

/** Imports the VEX documents attached to the image; what failed is a warning on each of its images. */
async function withVexReferrers<Result extends ScanResult>(
  deps: RunScanDeps,
  vex: Pick<VexStore, 'put'>,
  job: ScanImageJob,
  result: Result,
  credential: ScanCredential | null,
): Promise<Result> {
  const digests = [job.digest, ...(result.images ?? []).flatMap(({ image }) => image.manifestDigest ?? [])];
  const warnings = await importVexReferrers(
    {
      vex,
      registries: deps.config.registries,
      ...(deps.registryClient && { registryClient: deps.registryClient }),
    },
    job,
    digests,
    credential,
  );
  if (warnings.length === 0) return result;
  const images = (result.images ?? []).map((one) => ({
    ...one,
    image: { ...one.image, warnings: [...one.image.warnings, ...warnings] },
  }));
  return { ...result, images };
}

/** The platform manifests an index (the job's digest) was resolved to, as the store links them. */
function childrenOf(images: readonly ResolvedImage[]): IndexChild[] {
  return images.flatMap((image) =>
    image.indexDigest !== null && image.manifestDigest !== null
      ? [
          {
            digest: image.manifestDigest,
            platform: image.platform ? formatPlatform(image.platform) : 'unknown',
          },
        ]
      : [],
  );
}
