import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Keys that would carry a secret if anything ever logged a config or a request: censored wherever they
 * sit (two levels deep), as a second guard; the worker itself logs hosts and digests only.
 */
const SECRET_PATHS = [
  'password',
  'credentials',
  'authorization',
  'secretAccessKey',
  '*.password',
  '*.credentials',
  '*.authorization',
  '*.secretAccessKey',
  '*.*.password',
  '*.*.credentials',
];

export interface WorkerLoggerOptions {
  level?: string;
  /** Default: stdout. */
  destination?: DestinationStream;
}

/** JSON lines, one per event, with secrets censored: what `customs worker` writes. */
export function createWorkerLogger(options: WorkerLoggerOptions = {}): Logger {
  return pino(
    {
      name: 'customs-worker',
      level: options.level ?? 'info',
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(1),
  );
}
