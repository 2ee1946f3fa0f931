import { isCustomsError } from '@customs/errors';
import { ManifestInvalidError, RegistryRequestError } from '../errors.js';
import { mediaTypes } from '../manifest/media-types.js';
import { MAX_MANIFEST_BYTES } from '../resolve/content-store.js';
import { createClientEnvironment, type RegistryClientOptions } from './client-environment.js';
import { readCapped } from './http-exchange.js';
import { RegistryHttp } from './registry-http.js';
import { RepositoryStore } from './repository-store.js';

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
  artifactType?: string;
}

/**
 * The artifacts of these types that refer to `subject` in `registry/repository`, each with its
 * first layer read. Asks the OCI 1.1 referrers API, and when the registry has none (404, as Debian's
 * docker-registry answers) the referrers tag schema: the index tagged `sha256-<hex>`.
 */
export async function pullReferrers(
  repository: { registry: string; repository: string },
  subject: string,
  artifactTypes: readonly string[],
  options: RegistryClientOptions = {},
): Promise<ReferrerArtifact[]> {
  const environment = createClientEnvironment(options);
  const http = new RegistryHttp(repository.registry, environment);
  const store = new RepositoryStore(http, repository.repository, environment);
  const context = { image: `${repository.registry}/${repository.repository}@${subject}` };
  try {
    const listed = await listReferrers(http, store, repository.repository, subject, context);
    const wanted = listed.filter((entry) => artifactTypes.includes(entry.artifactType ?? ''));
    const artifacts: ReferrerArtifact[] = [];
    for (const entry of wanted) {
      const manifest = parseJson(
        (await store.fetchManifest(entry, context)).bytes,
        `referrer ${entry.digest}`,
        context,
      ) as { artifactType?: string; layers?: Descriptor[] };
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

async function listReferrers(
  http: RegistryHttp,
  store: RepositoryStore,
  repository: string,
  subject: string,
  context: { image: string },
): Promise<Descriptor[]> {
  const response = await http.get(`/v2/${repository}/referrers/${subject}`, {
    scope: `repository:${repository}:pull`,
    headers: { accept: mediaTypes.ociIndex },
    context,
  });
  if (response.status === 200) {
    const what = `referrers of ${subject}`;
    const tooLarge = () => new ManifestInvalidError(what, `larger than ${MAX_MANIFEST_BYTES} bytes`, context);
    return manifestsOf(
      parseJson(await readCapped(response.body, MAX_MANIFEST_BYTES, tooLarge), what, context),
    );
  }
  await response.body.dump();
  if (response.status !== 404) {
    throw new RegistryRequestError(
      http.registry,
      `GET referrers of ${subject} answered HTTP ${response.status}`,
      context,
    );
  }
  const fallbackTag = subject.replace(':', '-');
  try {
    const index = await store.getManifest(fallbackTag, context);
    return manifestsOf(parseJson(index.bytes, `referrers tag ${fallbackTag}`, context));
  } catch (error) {
    if (isCustomsError(error, 'MANIFEST_NOT_FOUND')) return [];
    throw error;
  }
}

function manifestsOf(index: unknown): Descriptor[] {
  const manifests = (index as { manifests?: unknown } | null)?.manifests;
  return Array.isArray(manifests) ? (manifests as Descriptor[]) : [];
}

function parseJson(bytes: Buffer, what: string, context: { image: string }): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ManifestInvalidError(what, 'it is not JSON', context);
  }
}
