import { ManifestInvalidError } from '../errors.js';
import { createClientEnvironment, type RegistryClientOptions } from '../registry/client-environment.js';
import { RegistryHttp } from '../registry/registry-http.js';
import { RepositoryStore } from '../registry/repository-store.js';
import { listReferrers } from './list-referrers.js';

/** One artifact attached to a subject: its manifest's digest, its type, and its first layer's bytes. */
export interface ReferrerArtifact {
  digest: string;
  artifactType: string;
  bytes: Buffer;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/**
 * The artifacts of these types that refer to `subject` in `registry/repository`, each with its
 * first layer read. Listed as `listReferrers` lists them: the OCI 1.1 referrers API, or the
 * referrers tag schema where the registry has none (Debian's docker-registry).
 */
export async function pullReferrers(
  repository: { registry: string; repository: string },
  subject: string,
  artifactTypes: readonly string[],
  options: RegistryClientOptions = {},
): Promise<ReferrerArtifact[]> {
  const image = `${repository.registry}/${repository.repository}@${subject}`;
  const environment = createClientEnvironment(options);
  const shared = { ...options, dispatcher: environment.dispatcher };
  const store = new RepositoryStore(
    new RegistryHttp(repository.registry, environment),
    repository.repository,
    environment,
  );
  const context = { image };
  try {
    const { referrers } = await listReferrers(image, shared);
    const artifacts: ReferrerArtifact[] = [];
    for (const entry of referrers.filter((found) => artifactTypes.includes(found.artifactType ?? ''))) {
      const manifest = parseJson((await store.fetchManifest(entry, context)).bytes, entry.digest, context);
      const layer = manifest.layers?.[0];
      if (!layer) continue;
      const bytes = await store.readBlob(layer, context);
      artifacts.push({ digest: entry.digest, artifactType: entry.artifactType ?? '', bytes });
    }
    return artifacts;
  } finally {
    if (environment.ownsDispatcher) await environment.dispatcher.close();
  }
}

function parseJson(bytes: Buffer, digest: string, context: { image: string }): { layers?: Descriptor[] } {
  try {
    return JSON.parse(bytes.toString('utf8')) as { layers?: Descriptor[] };
  } catch {
    throw new ManifestInvalidError(`referrer ${digest}`, 'it is not JSON', context);
  }
}
