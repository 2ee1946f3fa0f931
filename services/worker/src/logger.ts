import { createServiceLogger, type ServiceLogOptions } from '@customs/config';
import type { Logger } from 'pino';

export type WorkerLoggerOptions = ServiceLogOptions;

/**
 * JSON lines, one per event, with secrets censored (registry credentials, S3 keys, a configuration
 * logged by mistake) as a second guard: the worker itself logs hosts and digests only.
 */
export function createWorkerLogger(options: WorkerLoggerOptions = {}): Logger {
  return createServiceLogger('customs-worker', options);
}
