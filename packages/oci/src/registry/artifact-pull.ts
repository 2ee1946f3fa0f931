import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { UnsupportedManifestError } from '../errors.js';
import { parseImageReference } from '../reference/image-reference.js';
import { createClientEnvironment, type RegistryClientOptions } from './client-environment.js';
import { RegistryHttp } from './registry-http.js';
import { RepositoryStore } from './repository-store.js';

/**
 * Pulls the single layer of an artifact (an OCI image manifest whose `artifactType` is the one
 * expected) into `file`, through the verified, resumable blob download images use.
 */
export async function pullArtifact(
  reference: string,
  artifactType: string,
  file: string,
  options: RegistryClientOptions = {},
): Promise<{ digest: string; size: number; annotations: Record<string, string> }> {
  const parsed = parseImageReference(reference);
  const environment = createClientEnvironment(options);
  const store = new RepositoryStore(
    new RegistryHttp(parsed.registry, environment),
    parsed.repository,
    environment,
  );
  const context = { image: reference };
  try {
    const fetched = await store.getManifest(parsed.digest ?? parsed.tag ?? 'latest', context);
    const manifest = JSON.parse(fetched.bytes.toString('utf8')) as {
      artifactType?: string;
      layers?: Array<{ mediaType: string; digest: string; size: number }>;
      annotations?: Record<string, string>;
    };
    if (manifest.artifactType !== artifactType)
      throw new UnsupportedManifestError(
        reference,
        `its artifactType is ${String(manifest.artifactType)}, expected ${artifactType}`,
        context,
      );
    const layer = manifest.layers?.length === 1 ? manifest.layers[0] : undefined;
    if (!layer)
      throw new UnsupportedManifestError(
        reference,
        'an artifact of this type has exactly one layer',
        context,
      );
    const body = await store.openBlob(
      { digest: layer.digest, size: layer.size, mediaType: layer.mediaType, diffId: null, createdBy: null },
      {},
      context,
    );
    await pipeline(body, createWriteStream(file));
    return { digest: fetched.digest, size: layer.size, annotations: manifest.annotations ?? {} };
  } finally {
    if (environment.ownsDispatcher) await environment.dispatcher.close();
  }
}
