import { CustomsError } from '@customs/errors';

/** Every code this service raises; the API documents them. */
export const webhookErrorCodes = ['WEBHOOK_PAYLOAD_INVALID', 'WEBHOOK_TAG_UNRESOLVED'] as const;

/** A body that is not the sender's format at all (not JSON, no `events` array, …). */
export class WebhookPayloadError extends CustomsError {
  constructor(source: string, problem: string) {
    super('WEBHOOK_PAYLOAD_INVALID', `${source} webhook body: ${problem}`, {
      hint: 'check that the sender posts to the route of its own kind (/webhooks/<source>)',
    });
  }
}

/** A pushed tag (Docker Hub, Quay) that could not be turned into a digest at its registry. */
export class TagResolutionError extends CustomsError {
  constructor(image: string, cause: unknown) {
    super('WEBHOOK_TAG_UNRESOLVED', `cannot resolve ${image} to a digest`, {
      cause,
      context: { image },
      hint: 'check the registry credentials in the configuration and that the tag still exists',
    });
  }
}
