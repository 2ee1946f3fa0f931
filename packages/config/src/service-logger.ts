import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Keys that hold a secret in the configuration (registry passwords, webhook secrets, S3 keys, the
 * bootstrap, admission and Harbor tokens) or in a request a service receives (Authorization, GitHub's signature, ECR's API
 * key). Every service censors them, so a config or a request logged by mistake leaks nothing.
 */
const SECRET_KEYS = [
  'authorization',
  'password',
  'credentials',
  'secret',
  'pathSecret',
  'key',
  'accessKeyId',
  'secretAccessKey',
  'bootstrapToken',
  'token',
  '["x-hub-signature-256"]',
  '["x-api-key"]',
] as const;

/**
 * Down to three levels below the logged field: enough for a whole configuration logged under one key
 * (`config.registries.0.credentials`, `config.webhooks.github.secret`).
 */
const DEPTHS = ['', '*', '*.*', '*.*.*'] as const;

/** The redaction paths (pino syntax) every Customs logger censors. */
export const SECRET_LOG_PATHS: readonly string[] = DEPTHS.flatMap((prefix) =>
  SECRET_KEYS.map((key) => {
    if (prefix === '') return key;
    return key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`;
  }),
);

export interface ServiceLogOptions {
  /** pino level name; default `info`. */
  level?: string;
  /** Default: stdout. */
  destination?: DestinationStream;
}

/** JSON lines with secrets censored: the one way a Customs process makes its logger. */
export function createServiceLogger(name: string, options: ServiceLogOptions = {}): Logger {
  return pino(
    {
      name,
      level: options.level ?? 'info',
      redact: { paths: [...SECRET_LOG_PATHS], censor: '[redacted]' },
    },
    options.destination ?? pino.destination(1),
  );
}
