import { CustomsError } from '@customs/errors';

export const PAYLOAD_HINT = 'check that the sender posts to the route of its own kind (/webhooks/<source>)';

/** A body that is not the sender's format at all (not JSON, no `events` array, …). */
export class WebhookPayloadError extends CustomsError {
  constructor(source: string, problem: string) {
    super('WEBHOOK_PAYLOAD_INVALID', `${source} webhook body: ${problem}`, { hint: PAYLOAD_HINT });
  }
}

/** A pushed tag (Docker Hub, Quay) that could not be turned into a digest at its registry. */
export class TagResolutionError extends CustomsError {
  constructor(image: string, cause: unknown) {
    super('TAG_RESOLUTION_FAILED', `cannot resolve ${image} to a digest`, {
      cause,
      context: { image },
      hint: 'check the registry credentials in the configuration and that the tag still exists',
    });
  }
}
