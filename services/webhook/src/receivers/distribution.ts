import { z } from 'zod';
import { WebhookPayloadError } from '../errors.js';
import { checkHeaderSecret } from '../secrets.js';
import { readDistributionEvent } from './distribution-event.js';
import type { Receiver } from './receiver.js';

const envelope = z.object({ events: z.array(z.unknown()) });

/**
 * CNCF Distribution (and registries built on it, GitLab's included): an envelope of events, posted as
 * `application/vnd.docker.distribution.events.v1+json` (v2.x) or `…events.v2+json` (v3), with the
 * static headers of the endpoint's configuration; we expect one Authorization value.
 */
export const distributionReceiver: Receiver = {
  source: 'distribution',
  path: '/webhooks/distribution',
  activate(webhooks) {
    const settings = webhooks.distribution;
    if (!settings) return null;
    return {
      registry: null,
      authenticatesBy: 'headers',
      authenticate: (delivery) => checkHeaderSecret(delivery, 'authorization', settings.authorization),
      parse(body) {
        const parsed = envelope.safeParse(body);
        if (!parsed.success) throw new WebhookPayloadError('distribution', 'no "events" array');
        return parsed.data.events.map(readDistributionEvent);
      },
    };
  },
};
