import type { Database } from '@customs/db';
import { createDeliveryLog, type DeliveryLog } from './delivery-log.js';
import { createEventLog, type EventLog } from './event-log.js';
import { createSubscriptionStore, type SubscriptionStore } from './subscription-store.js';

/** The notification tables (store migration 0009-events-and-subscriptions) over one database. */
export interface NotificationStore {
  events: EventLog;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryLog;
}

/** The schema is @customs/store's: open the store (which migrates) before using this. */
export function createNotificationStore(db: Database): NotificationStore {
  return {
    events: createEventLog(db),
    subscriptions: createSubscriptionStore(db),
    deliveries: createDeliveryLog(db),
  };
}
