import { createServiceLogger, type ServiceLogOptions } from '@customs/config';
import type { Logger } from 'pino';

export type WebhookLoggerOptions = ServiceLogOptions;

/**
 * JSON lines, one per delivery event, with secrets censored (headers, path secrets, a configuration
 * logged by mistake) as a second guard: the webhook itself logs sources, outcomes, hosts and digests.
 */
export function createWebhookLogger(options: WebhookLoggerOptions = {}): Logger {
  return createServiceLogger('customs-webhook', options);
}
