export { EVENT_TYPES, eventData } from './events.js';
export type {
  EventDocument,
  EventType,
  NotificationEvent,
  ScanFailedEvent,
  VerdictChangedEvent,
  VerdictReason,
  VerdictState,
} from './events.js';
export { publishEvent } from './publish.js';
export type { PublishDeps } from './publish.js';
export { createNotificationStore } from './notification-store.js';
export type { NotificationStore } from './notification-store.js';
export type { EventLog, EventPage } from './event-log.js';
export { SUBSCRIPTION_FORMATS } from './subscription-store.js';
export type {
  Subscription,
  SubscriptionFormat,
  SubscriptionRequest,
  SubscriptionStore,
} from './subscription-store.js';
export type { DeliveryAttempt, DeliveryLog, LoggedDelivery } from './delivery-log.js';
export { compileGlob, matches, worstSeverity } from './filters.js';
export type { SubscriptionFilter } from './filters.js';
export {
  DEFAULT_REPLAY_WINDOW_SECONDS,
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  signatureHeader,
  verifySignature,
} from './signing.js';
export type { Verification, VerifyOptions } from './signing.js';
export { renderBody, slackMessage } from './payloads.js';
export type { SlackMessage } from './payloads.js';
export {
  createNotificationQueue,
  DEFAULT_DELIVERY_TUNING,
  DELIVER_JOB,
  NOTIFY_QUEUE,
} from './notification-queue.js';
export type { DeliveryJob, DeliveryTuning, NotificationQueue } from './notification-queue.js';
export { DEFAULT_DELIVERY_TIMEOUT_MS, deliver } from './deliver.js';
export type { DeliverDeps, DeliveryOutcome } from './deliver.js';
export { startNotificationWorker } from './notification-worker.js';
export type { NotificationWorker, NotificationWorkerOptions } from './notification-worker.js';
export {
  DeliveryFailedError,
  notificationErrorCodes,
  SubscriptionInvalidError,
  SubscriptionNotFoundError,
} from './errors.js';
