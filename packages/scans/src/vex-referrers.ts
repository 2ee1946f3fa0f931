import type { RegistryConfig } from '@customs/config';
import { describeError } from '@customs/errors';
import { pullReferrers } from '@customs/oci';
import type { ScanCredential, ScanImageJob } from '@customs/queue';
import type { VexStore } from '@customs/store';
import { importVex } from '@customs/vex';
import { requireRegistry } from './configured-registry.js';
import { registryClientOptions, type RegistryClientTuning } from './registry-client.js';

/**
 * The artifact types OpenVEX documents are attached with: `application/vnd.openvex+json` (what
 * `oras attach` examples and most pipelines use) and `application/openvex+json`.
 */
export const VEX_ARTIFACT_TYPES = ['application/vnd.openvex+json', 'application/openvex+json'] as const;

/**
 * Stores the OpenVEX documents attached to the scanned digest as OCI referrers. A document attached
 * to an image speaks only for that image: it is filed under the digests of the image (the scanned
 * digest, its platform manifests) its products name, never under another image's. Never fails the
 * scan: what went wrong comes back as warnings for the scan's images.
 */
export async function importVexReferrers(
  deps: {
    vex: Pick<VexStore, 'put'>;
    registries: readonly RegistryConfig[];
    registryClient?: RegistryClientTuning;
  },
  job: ScanImageJob,
  digests: readonly string[],
  credential: ScanCredential | null,
): Promise<string[]> {
  let artifacts;
  try {
    const registry = requireRegistry(deps.registries, job.registry);
    const options = registryClientOptions(registry, deps.registryClient, credential);
    artifacts = await pullReferrers(job, job.digest, VEX_ARTIFACT_TYPES, options);
  } catch (error) {
    return [`VEX documents attached to ${job.digest} could not be listed: ${describeError(error)}`];
  }
  const warnings: string[] = [];
  const scope = new Set(digests);
  const sink = {
    put: (document: Parameters<VexStore['put']>[0]) =>
      deps.vex.put({ ...document, digests: document.digests.filter((digest) => scope.has(digest)) }),
  };
  for (const artifact of artifacts) {
    try {
      await importVex(sink, artifact.bytes.toString('utf8'), `referrer:${artifact.digest}`);
    } catch (error) {
      warnings.push(
        `VEX document ${artifact.digest} attached to ${job.digest} was not imported: ${describeError(error)}`,
      );
    }
  }
  return warnings;
}
