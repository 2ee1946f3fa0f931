import { CustomsError } from '@customs/errors';

/** Every code this service raises; the API documents them. */
export const webhookErrorCodes = ['WEBHOOK_PAYLOAD_INVALID'] as const;

/** A body that is not the sender's format at all (not JSON, no `events` array, …). */
export class WebhookPayloadError extends CustomsError {
  constructor(source: string, problem: string) {
    super('WEBHOOK_PAYLOAD_INVALID', `${source} webhook body: ${problem}`, {
      hint: 'check that the sender posts to the route of its own kind (/webhooks/<source>)',
    });
  }
}
