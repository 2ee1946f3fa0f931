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
 * One Distribution event → a scan, or why not. Only a `push` of an image manifest or index by tag is
 * scanned: blob pushes (every layer and config), mounts, pulls and deletes are not; neither is a
 * manifest pushed by digest alone, which is how an index's children arrive (before the index, untagged;
 * the index event then carries the tag and is scanned as one image).
 */
export function readDistributionEvent(raw: unknown): ReceivedEvent {
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
  if (!target.tag) {
    return ignored(
      'a manifest pushed by digest without a tag (an index child: scanned through its index)',
      event,
      deliveryId,
      raw,
    );
  }
  if (!isDigest(target.digest)) return invalid('target.digest is not a sha256 digest', deliveryId, raw);
  if (!registry) return invalid('neither target.url nor request.host names the registry', deliveryId, raw);
  const repository = target.repository ?? '';
  const problem = nameProblem(repository, target.tag);
  if (problem) return invalid(problem, deliveryId, raw);
  return scan(
    { registry, repository, digest: target.digest, tag: target.tag, mediaType, action },
    deliveryId,
    raw,
  );
}
