import type { EventDocument, NotificationEvent } from './events.js';
import { matches } from './filters.js';
import type { NotificationQueue } from './notification-queue.js';
import type { NotificationStore } from './notification-store.js';

export interface PublishDeps {
  store: Pick<NotificationStore, 'events' | 'subscriptions'>;
  queue: Pick<NotificationQueue, 'enqueue'>;
}

/**
 * Records `event` in the event feed, then queues one delivery per subscription that wants it. The
 * event is recorded first: pull consumers see it even when Redis is down and the queueing throws.
 */
export async function publishEvent(deps: PublishDeps, event: NotificationEvent): Promise<EventDocument> {
  const document = await deps.store.events.append(event);
  const wanting = (await deps.store.subscriptions.list()).filter((subscription) =>
    matches(subscription, event),
  );
  await deps.queue.enqueue(
    wanting.map((subscription) => ({ eventId: document.id, subscriptionId: subscription.id })),
  );
  return document;
}
