import { z } from 'zod';
import { WebhookPayloadError } from '../errors.js';
import { checkHeaderSecret } from '../secrets.js';
import { isDigest, nameProblem } from './image-names.js';
import { ignored, invalid, scan } from './receiver.js';
import type { Receiver } from './receiver.js';

const eventBridgeEvent = z.object({
  id: z.string().optional(),
  'detail-type': z.string(),
  account: z.string(),
  region: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/**
 * Amazon ECR through an EventBridge API destination: `ECR Image Action` events, authenticated by the
 * API-key header of the destination's connection. The registry is `<account>.dkr.ecr.<region>.amazonaws.com`.
 */
export const ecrReceiver: Receiver = {
  source: 'ecr',
  path: '/webhooks/ecr',
  activate(webhooks) {
    const settings = webhooks.ecr;
    if (!settings) return null;
    return {
      registry: settings.registry,
      authenticatesBy: 'headers',
      authenticate: (delivery) => checkHeaderSecret(delivery, settings.header, settings.key),
      parse(body) {
        const parsed = eventBridgeEvent.safeParse(body);
        if (!parsed.success) throw new WebhookPayloadError('ecr', 'not an EventBridge event');
        const { id, 'detail-type': detailType, account, region, detail } = parsed.data;
        const deliveryId = id ?? null;
        const text = (key: string): string | null => (typeof detail[key] === 'string' ? detail[key] : null);
        const action = text('action-type') ?? '(none)';
        const event = {
          action,
          repository: text('repository-name') ?? undefined,
          digest: text('image-digest'),
        };
        if (detailType !== 'ECR Image Action')
          return [ignored(`${detailType} events are not scanned`, event, deliveryId, body)];
        if (action !== 'PUSH')
          return [ignored(`${action} image actions are not scanned`, event, deliveryId, body)];
        if (text('result') !== 'SUCCESS')
          return [ignored(`a push with result ${text('result')}`, event, deliveryId, body)];
        if (!ACCOUNT.test(account) || !REGION.test(region)) {
          return [
            invalid(`account ${account} / region ${region} do not name an ECR registry`, deliveryId, body),
          ];
        }
        const digest = text('image-digest');
        if (!isDigest(digest))
          return [invalid('detail.image-digest is not a sha256 digest', deliveryId, body)];
        const repository = text('repository-name') ?? '';
        const tag = text('image-tag') || null;
        const problem = nameProblem(repository, tag);
        if (problem) return [invalid(problem, deliveryId, body)];
        const registry = `${account}.dkr.ecr.${region}.amazonaws.com`;
        const mediaType = text('manifest-media-type');
        return [scan({ registry, repository, digest, tag, mediaType, action }, deliveryId, body)];
      },
    };
  },
};
