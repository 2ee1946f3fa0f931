import { CustomsError } from '@customs/errors';

export const PAYLOAD_HINT = 'check that the sender posts to the route of its own kind (/webhooks/<source>)';

/** A body that is not the sender's format at all (not JSON, no `events` array, …). */
export class WebhookPayloadError extends CustomsError {
  constructor(source: string, problem: string) {
    super('WEBHOOK_PAYLOAD_INVALID', `${source} webhook body: ${problem}`, { hint: PAYLOAD_HINT });
  }
}
