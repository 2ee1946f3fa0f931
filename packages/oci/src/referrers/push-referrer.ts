import { InvalidOptionError } from '@customs/errors';
import { digestOf } from '../digest.js';
import { ReferrersIndexInvalidError, RegistryRequestError } from '../errors.js';
import { mediaTypes } from '../manifest/media-types.js';
import { parseImageReference } from '../reference/image-reference.js';
import { EMPTY_CONFIG, EMPTY_MEDIA_TYPE } from '../registry/artifact-push.js';
import { createClientEnvironment, type RegistryClientOptions } from '../registry/client-environment.js';
import { PushSession } from '../registry/push-session.js';
import { RegistryHttp } from '../registry/registry-http.js';
import {
  EMPTY_REFERRERS_INDEX,
  parseReferrersIndex,
  referrersTag,
  type ReferrerDescriptor,
} from './referrers-index.js';

export interface ReferrerPush {
  /** The image the artifact is about: `registry/repository@sha256:…`. */
  subject: string;
  artifactType: string;
  /** The artifact's one layer. */
  content: Buffer;
  mediaType: string;
  /** Manifest annotations; copied into the referrers list, where readers filter on them. */
  annotations?: Record<string, string>;
}

export interface PushedReferrer {
  /** The artifact manifest's descriptor, as the referrers list holds it. */
  descriptor: ReferrerDescriptor;
  /**
   * `api`: the registry took the subject (it answered `OCI-Subject`); `tag`: it did not, and the
   * referrers tag (`fallbackTag`) was updated to list the artifact.
   */
  listedBy: 'api' | 'tag';
  fallbackTag: string | null;
}

/**
 * Pushes an OCI 1.1 artifact whose `subject` is an image: the empty config, one layer, and an image
 * manifest with `artifactType`, pushed by digest. A registry with the referrers API lists it by
 * itself; for one without it (no `OCI-Subject` in the answer), the referrers tag schema of
 * distribution-spec 1.1 is kept: the image index at `sha256-<hex>` is read (none: empty), the
 * artifact appended unless it is there already, and the index pushed back under that tag.
 */
export async function pushReferrer(
  push: ReferrerPush,
  options: RegistryClientOptions = {},
): Promise<PushedReferrer> {
  const subject = parseImageReference(push.subject);
  if (subject.digest === null) throw new InvalidOptionError('subject', `${push.subject} names no digest`);
  const environment = createClientEnvironment(options);
  const origin = new RegistryHttp(subject.registry, environment).origin;
  const session = new PushSession(environment, subject.registry, subject.repository, origin);
  try {
    const subjectDescriptor = await describeManifest(session, subject.digest);
    const manifest = await pushArtifactManifest(session, push, subjectDescriptor);
    if (manifest.acknowledged) return { descriptor: manifest.descriptor, listedBy: 'api', fallbackTag: null };
    const tag = referrersTag(subject.digest);
    await appendToReferrersTag(session, tag, manifest.descriptor);
    return { descriptor: manifest.descriptor, listedBy: 'tag', fallbackTag: tag };
  } finally {
    if (environment.ownsDispatcher) await environment.dispatcher.close();
  }
}

/** The subject as a descriptor: its media type and size, from a HEAD of the manifest by digest. */
async function describeManifest(session: PushSession, digest: string): Promise<ReferrerDescriptor> {
  const head = await session.send('HEAD', `/v2/${session.repository}/manifests/${digest}`, [200], {
    headers: {
      accept: [
        mediaTypes.ociIndex,
        mediaTypes.ociManifest,
        mediaTypes.dockerManifestList,
        mediaTypes.dockerManifest,
      ].join(', '),
    },
  });
  const size = Number(first(head.headers['content-length']));
  const mediaType = first(head.headers['content-type'])?.split(';')[0]?.trim();
  if (!Number.isInteger(size) || size <= 0 || !mediaType)
    throw new RegistryRequestError(
      session.registry,
      `HEAD of manifest ${session.repository}@${digest} gave no Content-Length or Content-Type`,
    );
  return { mediaType, digest, size };
}

async function pushArtifactManifest(
  session: PushSession,
  push: ReferrerPush,
  subject: ReferrerDescriptor,
): Promise<{ descriptor: ReferrerDescriptor; acknowledged: boolean }> {
  const config = { mediaType: EMPTY_MEDIA_TYPE, digest: digestOf(EMPTY_CONFIG), size: EMPTY_CONFIG.length };
  const layer = { mediaType: push.mediaType, digest: digestOf(push.content), size: push.content.length };
  await session.uploadBlob(config.digest, config.size, () => EMPTY_CONFIG);
  await session.uploadBlob(layer.digest, layer.size, () => push.content);
  const annotations = push.annotations ?? {};
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      artifactType: push.artifactType,
      config: { ...config, data: EMPTY_CONFIG.toString('base64') },
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      ...(Object.keys(annotations).length > 0 && { annotations }),
    }),
  );
  const digest = digestOf(bytes);
  const put = await session.send('PUT', `/v2/${session.repository}/manifests/${digest}`, [201], {
    headers: { 'content-type': mediaTypes.ociManifest },
    body: () => bytes,
  });
  const descriptor: ReferrerDescriptor = {
    mediaType: mediaTypes.ociManifest,
    digest,
    size: bytes.length,
    artifactType: push.artifactType,
    ...(Object.keys(annotations).length > 0 && { annotations }),
  };
  return { descriptor, acknowledged: first(put.headers['oci-subject']) === subject.digest };
}

/**
 * Read, append, write back. Two writers at once can lose one entry (the spec leaves it to clients;
 * registries with the referrers API do not have the problem).
 */
async function appendToReferrersTag(
  session: PushSession,
  tag: string,
  descriptor: ReferrerDescriptor,
): Promise<void> {
  const path = `/v2/${session.repository}/manifests/${tag}`;
  const current = await session.send('GET', path, [200, 404], {
    headers: { accept: mediaTypes.ociIndex },
  });
  let index = EMPTY_REFERRERS_INDEX;
  if (current.status === 200) {
    const parsed = parseReferrersIndex(current.text);
    if (typeof parsed === 'string')
      throw new ReferrersIndexInvalidError(`${session.registry}/${session.repository}:${tag}`, parsed);
    index = parsed;
  }
  if (index.manifests.some((entry) => entry.digest === descriptor.digest)) return;
  const updated = Buffer.from(JSON.stringify({ ...index, manifests: [...index.manifests, descriptor] }));
  await session.send('PUT', path, [201], {
    headers: { 'content-type': mediaTypes.ociIndex },
    body: () => updated,
  });
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
