import { SubscriptionNotFoundError, type LoggedDelivery, type Subscription } from '@customs/notifications';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import type { Handlers } from '../http/typed-operations.js';

type NotificationOperation =
  | 'createSubscription'
  | 'listSubscriptions'
  | 'getSubscription'
  | 'deleteSubscription'
  | 'listSubscriptionDeliveries'
  | 'listEvents';

/** Subscriptions (admin), their delivery logs, and the event feed, over @customs/notifications. */
export function notificationHandlers(context: ApiContext): Pick<Handlers, NotificationOperation> {
  const { subscriptions, deliveries, events } = context.notifications;
  const existing = async (id: string): Promise<Subscription> => {
    const found = await subscriptions.get(id);
    if (found === null) throw new SubscriptionNotFoundError(id);
    return found;
  };
  return {
    async createSubscription({ body }) {
      const created = await subscriptions.create(body);
      return {
        status: 201,
        body: { subscription: subscriptionBody(created.subscription), secret: created.secret },
      };
    },
    async listSubscriptions() {
      return { status: 200, body: { subscriptions: (await subscriptions.list()).map(subscriptionBody) } };
    },
    async getSubscription({ path }) {
      return { status: 200, body: subscriptionBody(await existing(path.id)) };
    },
    async deleteSubscription({ path }) {
      if (!(await subscriptions.delete(path.id))) throw new SubscriptionNotFoundError(path.id);
      return { status: 204, body: undefined };
    },
    async listSubscriptionDeliveries({ path, query }) {
      await existing(path.id);
      const logged = await deliveries.list(path.id, query.limit ?? 100);
      return { status: 200, body: { deliveries: logged.map(deliveryBody) } };
    },
    async listEvents({ query }) {
      return { status: 200, body: await events.page(query.since ?? '0', query.limit ?? 100) };
    },
  };
}

function subscriptionBody(subscription: Subscription): Schemas['Subscription'] {
  return {
    id: subscription.id,
    url: subscription.url,
    format: subscription.format,
    eventTypes: [...subscription.eventTypes],
    repositoryGlob: subscription.repositoryGlob,
    minSeverity: subscription.minSeverity,
    createdAt: subscription.createdAt.toISOString(),
  };
}

function deliveryBody(delivery: LoggedDelivery): Schemas['Delivery'] {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    attempt: delivery.attempt,
    statusCode: delivery.statusCode,
    error: delivery.error,
    durationMs: delivery.durationMs,
    attemptedAt: delivery.attemptedAt.toISOString(),
  };
}
