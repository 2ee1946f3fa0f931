import { createServiceLogger, type ServiceLogOptions } from '@customs/config';
import type { Logger } from 'pino';

/** JSON lines with secrets censored, as every Customs service logs. */
export function createUpdaterLogger(options: ServiceLogOptions = {}): Logger {
  return createServiceLogger('customs-updater', options);
}
