export { createRedisConnection } from './connection.js';
export { parseScanImageJob, scanJobId, SCAN_IMAGE_JOB } from './jobs/scan-image.js';
export type { ScanImageJob } from './jobs/scan-image.js';
export { createScanQueues, DEFAULT_TUNING, RESCAN_QUEUE, SCAN_QUEUE } from './queues.js';
export type { QueueTuning, ScanQueues } from './queues.js';
export { REDIS_RETRY_INTERVAL_MS, reportRedisFailures } from './unreachable-log.js';
export { startScanWorkers } from './workers.js';
export type {
  DeadLetterInfo,
  ScanHandler,
  ScanHandlerContext,
  ScanWorkerOptions,
  ScanWorkers,
} from './workers.js';
export { createScanCredentialStore } from './scan-credentials.js';
export type { ScanCredential, ScanCredentialKey, ScanCredentialStore } from './scan-credentials.js';
export { JobPayloadInvalidError, QueueUnavailableError } from './errors.js';
export {
  createRejudgeQueue,
  parseRejudgeJob,
  REJUDGE_JOB,
  REJUDGE_QUEUE,
  startRejudgeWorker,
} from './rejudge-queue.js';
export type { RejudgeJob, RejudgeQueue, RejudgeWorkerOptions } from './rejudge-queue.js';
