import { z } from 'zod';
import { isDigest, isScannableMediaType, nameProblem, urlHost } from './image-names.js';
import { ignored, invalid, scan, type NormalisedEvent, type ReceivedEvent } from './receiver.js';

/** The fields of a CNCF Distribution notification event we read (ACR sends the same shape). */
const distributionEvent = z.object({
  id: z.string().optional(),
  action: z.string(),
  target: z
    .object({
      mediaType: z.string().optional(),
      digest: z.string().optional(),
      repository: z.string().optional(),
      url: z.string().optional(),
      tag: z.string().optional(),
    })
    .optional(),
  request: z.object({ host: z.string().optional() }).optional(),
});

const BLOB_MEDIA_TYPE = 'application/octet-stream';

/**
 * One Distribution event → a scan, or why not. Only a `push` of an image manifest or index is
 * scanned: blob pushes (every layer and config), mounts, pulls and deletes are not. A manifest pushed
 * by digest alone is scanned too (buildx push-by-digest, ko and crane push that way) unless it is
 * known to belong to an index, which the pipeline checks: that is also how an index's children
 * arrive, before their index.
 */
export function readDistributionEvent(sent: unknown): ReceivedEvent {
  const raw = withoutReferences(sent);
  const parsed = distributionEvent.safeParse(raw);
  if (!parsed.success) {
    return invalid(`not a registry event: ${parsed.error.issues[0]?.message ?? 'unreadable'}`, null, raw);
  }
  const { id, action, target = {}, request } = parsed.data;
  const deliveryId = id ?? null;
  // `url` is built by the registry from its own address; request.host is what the client called it.
  const registry = (target.url && urlHost(target.url)) || request?.host || '';
  const event: Partial<NormalisedEvent> = {
    ...(registry && { registry }),
    ...(target.repository !== undefined && { repository: target.repository }),
    digest: target.digest ?? null,
    tag: target.tag ?? null,
    mediaType: target.mediaType ?? null,
    action,
  };
  if (action !== 'push') return ignored(`${action} events are not scanned`, event, deliveryId, raw);
  const mediaType = target.mediaType ?? '';
  if (mediaType === BLOB_MEDIA_TYPE || !isScannableMediaType(mediaType)) {
    const what = mediaType === BLOB_MEDIA_TYPE ? 'a blob push' : `media type ${mediaType || '(none)'}`;
    return ignored(`${what} is not an image manifest or index`, event, deliveryId, raw);
  }
  if (!isDigest(target.digest)) return invalid('target.digest is not a sha256 digest', deliveryId, raw);
  if (!registry) return invalid('neither target.url nor request.host names the registry', deliveryId, raw);
  const repository = target.repository ?? '';
  const tag = target.tag || null;
  const problem = nameProblem(repository, tag);
  if (problem) return invalid(problem, deliveryId, raw);
  return scan({ registry, repository, digest: target.digest, tag, mediaType, action }, deliveryId, raw);
}

/**
 * The event as stored with its delivery: `target.references` (every layer of the manifest, with
 * `includereferences: true`; 10,000 of them make a 2 MB event) is replaced by its count. We read
 * nothing from it.
 */
function withoutReferences(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || !('target' in event)) return event;
  const { target } = event;
  if (typeof target !== 'object' || target === null || !('references' in target)) return event;
  const { references, ...rest } = target;
  const count = Array.isArray(references) ? references.length : 0;
  return { ...event, target: { ...rest, referencesDropped: count } };
}
