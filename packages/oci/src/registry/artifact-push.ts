import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseImageReference } from '../reference/image-reference.js';
import { createClientEnvironment, type RegistryClientOptions } from './client-environment.js';
import { PushSession } from './push-session.js';
import { RegistryHttp } from './registry-http.js';

/** OCI 1.1's empty descriptor: the config of an artifact that needs none. */
export const EMPTY_CONFIG = Buffer.from('{}');
export const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

export interface ArtifactPush {
  /** `registry/repository:tag`. */
  reference: string;
  artifactType: string;
  /** The one layer: a file, uploaded monolithically. */
  file: string;
  mediaType: string;
  /** Layer title (org.opencontainers.image.title) and manifest annotations. */
  title: string;
  annotations?: Record<string, string>;
}

/**
 * Pushes one file as an OCI 1.1 artifact: the file as the only layer, the empty config, and an
 * image manifest with `artifactType`, tagged. Blobs the registry already has are not sent again.
 * Authentication as for pulls (anonymous, Basic, or a Bearer token), with push scope.
 */
export async function pushArtifact(
  push: ArtifactPush,
  options: RegistryClientOptions = {},
): Promise<{ digest: string; size: number }> {
  const reference = parseImageReference(push.reference);
  const tag = reference.tag ?? 'latest';
  const environment = createClientEnvironment(options);
  const origin = new RegistryHttp(reference.registry, environment).origin;
  const session = new PushSession(environment, reference.registry, reference.repository, origin);
  try {
    const layer = { digest: await fileDigest(push.file), size: (await stat(push.file)).size };
    const config = {
      digest: `sha256:${createHash('sha256').update(EMPTY_CONFIG).digest('hex')}`,
      size: EMPTY_CONFIG.length,
    };
    await session.uploadBlob(config.digest, config.size, () => EMPTY_CONFIG);
    await session.uploadBlob(layer.digest, layer.size, () => createReadStream(push.file));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        artifactType: push.artifactType,
        config: { mediaType: EMPTY_MEDIA_TYPE, ...config, data: EMPTY_CONFIG.toString('base64') },
        layers: [
          {
            mediaType: push.mediaType,
            ...layer,
            annotations: { 'org.opencontainers.image.title': push.title },
          },
        ],
        ...(push.annotations && { annotations: push.annotations }),
      }),
    );
    await session.send('PUT', `/v2/${reference.repository}/manifests/${tag}`, [201], {
      headers: { 'content-type': OCI_MANIFEST_MEDIA_TYPE },
      body: () => manifest,
    });
    return { digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`, size: manifest.length };
  } finally {
    if (environment.ownsDispatcher) await environment.dispatcher.close();
  }
}

async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
