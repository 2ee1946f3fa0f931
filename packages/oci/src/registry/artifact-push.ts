import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'undici';
import { RegistryAuthError, RegistryRequestError } from '../errors.js';
import { parseImageReference } from '../reference/image-reference.js';
import {
  createClientEnvironment,
  type ClientEnvironment,
  type RegistryClientOptions,
} from './client-environment.js';
import { basicAuthorization, credentialsFor } from './credentials.js';
import { RegistryHttp } from './registry-http.js';
import { fetchToken } from './token-service.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** OCI 1.1's empty descriptor: the config of an artifact that needs none. */
const EMPTY_CONFIG = Buffer.from('{}');
const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
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

type Body = () => Buffer | NodeJS.ReadableStream;

class PushSession {
  #authorization: string | null = null;

  constructor(
    private readonly environment: ClientEnvironment,
    private readonly registry: string,
    private readonly repository: string,
    private readonly origin: URL,
  ) {}

  async uploadBlob(digest: string, size: number, body: Body): Promise<void> {
    const head = await this.send('HEAD', `/v2/${this.repository}/blobs/${digest}`, [200, 404]);
    if (head.status === 200) return;
    const started = await this.send('POST', `/v2/${this.repository}/blobs/uploads/`, [202]);
    const location = started.location;
    if (!location)
      throw new RegistryRequestError(this.registry, 'blob upload answered 202 without a Location', {});
    const target = new URL(location, this.origin);
    target.searchParams.set('digest', digest);
    await this.send('PUT', target.pathname + target.search, [201], {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
    });
  }

  /** One request; on a 401 the challenge is answered (push scope) and the request sent once more. */
  async send(
    method: 'HEAD' | 'POST' | 'PUT',
    path: string,
    expected: readonly number[],
    extra: { headers?: Record<string, string>; body?: Body } = {},
  ): Promise<{ status: number; location: string | undefined }> {
    for (let round = 0; ; round++) {
      const response = await request(new URL(path, this.origin), {
        method,
        dispatcher: this.environment.dispatcher,
        headers: {
          'user-agent': this.environment.userAgent,
          ...extra.headers,
          ...(this.#authorization && { authorization: this.#authorization }),
        },
        ...(extra.body && { body: extra.body() as Buffer }),
      });
      const text = await response.body.text();
      if (response.statusCode === 401 && round === 0) {
        await this.#authorize(response.headers['www-authenticate']);
        continue;
      }
      if (response.statusCode === 401 || response.statusCode === 403) {
        throw new RegistryAuthError(
          this.registry,
          `pushing to ${this.repository} was refused (HTTP ${response.statusCode})`,
          {},
        );
      }
      if (!expected.includes(response.statusCode)) {
        throw new RegistryRequestError(
          this.registry,
          `${method} ${path.split('?')[0]} answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`,
          {},
        );
      }
      const location = response.headers.location;
      return { status: response.statusCode, location: Array.isArray(location) ? location[0] : location };
    }
  }

  async #authorize(header: string | string[] | undefined): Promise<void> {
    const challenges = parseWwwAuthenticate(header);
    const credentials = await credentialsFor(this.environment.credentials, this.registry);
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
    if (bearer) {
      const token = await fetchToken(this.environment, {
        registry: this.registry,
        challenge: bearer,
        scope: `repository:${this.repository}:pull,push`,
        credentials,
        context: {},
      });
      this.#authorization = `Bearer ${token.token}`;
      return;
    }
    if (challenges.some((challenge) => challenge.scheme === 'basic') && credentials) {
      this.#authorization = basicAuthorization(credentials);
      return;
    }
    throw new RegistryAuthError(this.registry, `pushing to ${this.repository} needs credentials`, {});
  }
}

async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
