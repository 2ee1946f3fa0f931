import { WebhookPayloadError } from '../errors.js';
import { checkHeaderSecret } from '../secrets.js';
import { readDistributionEvent } from './distribution-event.js';
import type { Receiver } from './receiver.js';

/**
 * Azure Container Registry webhooks: one Distribution-shaped event per request, without the envelope,
 * the registry in request.host. ACR cannot sign; the webhook's custom headers carry our Authorization.
 * Actions other than push (delete, quarantine, chart_push, chart_delete) are acknowledged, not scanned.
 */
export const acrReceiver: Receiver = {
  source: 'acr',
  path: '/webhooks/acr',
  activate(webhooks) {
    const settings = webhooks.acr;
    if (!settings) return null;
    return {
      registry: null,
      authenticatesBy: 'headers',
      authenticate: (delivery) => checkHeaderSecret(delivery, 'authorization', settings.authorization),
      parse(body) {
        if (typeof body !== 'object' || body === null || Array.isArray(body) || !('action' in body)) {
          throw new WebhookPayloadError('acr', 'not an event object with an "action"');
        }
        return [readDistributionEvent(body)];
      },
    };
  },
};
