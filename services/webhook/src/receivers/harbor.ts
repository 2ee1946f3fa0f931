import { z } from 'zod';
import { WebhookPayloadError } from '../errors.js';
import { checkHeaderSecret } from '../secrets.js';
import { isDigest, nameProblem, splitImageUrl } from './image-names.js';
import { ignored, invalid, scan, type ReceivedEvent } from './receiver.js';
import type { Receiver } from './receiver.js';

const resource = z.object({
  digest: z.string().optional(),
  tag: z.string().optional(),
  resource_url: z.string().optional(),
});
const eventData = z.object({ resources: z.array(z.unknown()) });
/** The Default format: `{type, occur_at, operator, event_data}`. */
const defaultFormat = z.object({ type: z.string(), event_data: z.unknown() });
/** The CloudEvents format: `{specversion, id, type, data, …}`. */
const cloudEvent = z.object({ specversion: z.string(), id: z.string(), type: z.string(), data: z.unknown() });

const PUSH_TYPES = new Set(['PUSH_ARTIFACT', 'harbor.artifact.pushed']);

/**
 * Harbor webhook policies, in the Default or the CloudEvents payload format. Harbor sends the policy's
 * auth_header verbatim as Authorization (there is no signing). A push names each artifact as
 * `resource_url` (`harbor.example.com/project/repo:tag`, or `…@sha256:…` when pushed by digest) with
 * its digest.
 */
export const harborReceiver: Receiver = {
  source: 'harbor',
  path: '/webhooks/harbor',
  activate(webhooks) {
    const settings = webhooks.harbor;
    if (!settings) return null;
    return {
      registry: null,
      authenticatesBy: 'headers',
      authenticate: (delivery) => checkHeaderSecret(delivery, 'authorization', settings.authorization),
      parse(body) {
        const cloud = cloudEvent.safeParse(body);
        const plain = defaultFormat.safeParse(body);
        const envelope = cloud.success
          ? { id: cloud.data.id, type: cloud.data.type, data: cloud.data.data }
          : plain.success
            ? { id: null, type: plain.data.type, data: plain.data.event_data }
            : null;
        if (envelope === null) {
          throw new WebhookPayloadError(
            'harbor',
            'neither a Default ("type", "event_data") nor a CloudEvents payload',
          );
        }
        if (!PUSH_TYPES.has(envelope.type)) {
          return [
            ignored(`${envelope.type} events are not scanned`, { action: envelope.type }, envelope.id, body),
          ];
        }
        const data = eventData.safeParse(envelope.data);
        if (!data.success) throw new WebhookPayloadError('harbor', `a ${envelope.type} without resources`);
        const { resources } = data.data;
        return resources.map((raw, index) => {
          // One delivery row per artifact: the CloudEvents id alone would collide between them.
          const deliveryId =
            envelope.id === null ? null : resources.length > 1 ? `${envelope.id}/${index}` : envelope.id;
          return readResource(raw, envelope.type, deliveryId, body);
        });
      },
    };
  },
};

function readResource(
  raw: unknown,
  action: string,
  deliveryId: string | null,
  payload: unknown,
): ReceivedEvent {
  const parsed = resource.safeParse(raw);
  if (!parsed.success) return invalid('a resource that is not an object', deliveryId, payload);
  const { digest, tag, resource_url: url } = parsed.data;
  const where = url ? splitImageUrl(url) : null;
  if (where === null) return invalid('resource_url does not name registry/repository', deliveryId, payload);
  if (!isDigest(digest)) return invalid('the resource digest is not a sha256 digest', deliveryId, payload);
  // Pushed by digest, Harbor repeats the digest as the "tag".
  const realTag = tag && !tag.startsWith('sha256:') ? tag : where.tag;
  const problem = nameProblem(where.repository, realTag);
  if (problem) return invalid(problem, deliveryId, payload);
  return scan(
    { registry: where.registry, repository: where.repository, digest, tag: realTag, mediaType: null, action },
    deliveryId,
    payload,
  );
}
