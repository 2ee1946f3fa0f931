export { createWebhookApp } from './app.js';
export type { WebhookDeps } from './app.js';
export { startWebhookServer } from './start-server.js';
export type { WebhookServer, WebhookServerOptions } from './start-server.js';
export { startWebhookService } from './start-service.js';
export type { WebhookServiceDeps } from './start-service.js';
export { connectWebhookQueues } from './queue-connection.js';
export type { WebhookQueues } from './queue-connection.js';
export { createWebhookLogger } from './logger.js';
export type { WebhookLoggerOptions } from './logger.js';
export type { WebhookLogger } from './delivery/outcomes.js';
export { defaultReceivers } from './receivers/index.js';
export type {
  ActiveReceiver,
  AuthCheck,
  IncomingDelivery,
  NormalisedEvent,
  ReceivedEvent,
  Receiver,
  WebhookSource,
} from './receivers/receiver.js';
export { WebhookPayloadError } from './errors.js';
