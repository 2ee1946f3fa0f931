import { describeError } from '@customs/errors';
import type { ScanFailedEvent } from '@customs/notifications';
import type { Logger } from 'pino';
import type { ScanFailure } from './failure.js';

/** Publishes `scan.failed` (records the event, queues its deliveries): @customs/notifications' publishEvent. */
export type ScanFailedPublisher = (event: ScanFailedEvent) => Promise<unknown>;

export interface FailedScan {
  scanId: string;
  digest: string;
  repository: string;
}

/**
 * Tells subscribers a scan will not be tried again. The scan's own failure is already recorded: a
 * publishing error (PostgreSQL or Redis down) is logged and does not change what BullMQ is told.
 */
export async function announceScanFailure(
  publish: ScanFailedPublisher | undefined,
  logger: Logger,
  scan: FailedScan,
  failure: Pick<ScanFailure, 'code' | 'message'>,
  at: Date,
): Promise<void> {
  if (publish === undefined) return;
  try {
    await publish({
      type: 'scan.failed',
      ...scan,
      error: { code: failure.code, message: failure.message },
      at,
    });
  } catch (error) {
    logger.error({ scanId: scan.scanId, error: describeError(error) }, 'scan.failed event not published');
  }
}
