import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Headers and keys that carry a secret if anything ever logged a request or a config: censored as a
 * second guard (the webhook itself logs sources, outcomes, hosts and digests only, never headers).
 */
const SECRET_PATHS = [
  'authorization',
  'secret',
  'pathSecret',
  'key',
  'password',
  'headers.authorization',
  'headers["x-hub-signature-256"]',
  'headers["x-api-key"]',
  'params.secret',
  '*.authorization',
  '*.password',
];

export interface WebhookLoggerOptions {
  level?: string;
  /** Default: stdout. */
  destination?: DestinationStream;
}

/** JSON lines, one per delivery event, with secrets censored: what the webhook process writes. */
export function createWebhookLogger(options: WebhookLoggerOptions = {}): Logger {
  return pino(
    {
      name: 'customs-webhook',
      level: options.level ?? 'info',
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(1),
  );
}
