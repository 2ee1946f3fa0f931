import { CustomsError, errorCodesIn } from '@customs/errors';

/** Every code this package raises (declared in @customs/errors). */
export const notificationErrorCodes = errorCodesIn('notifications');

export class SubscriptionNotFoundError extends CustomsError {
  constructor(id: string) {
    super('SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`, {
      hint: 'GET /v1/subscriptions lists every subscription with its id',
    });
  }
}

export class SubscriptionInvalidError extends CustomsError {
  constructor(what: string, problem: string) {
    super('SUBSCRIPTION_INVALID', `subscription ${what}: ${problem}`, {
      hint: 'give an http(s) URL without credentials, and a repository glob such as team/* or team/**',
    });
  }
}

/** A receiver that did not take a delivery: thrown to BullMQ so the delivery is tried again later. */
export class DeliveryFailedError extends CustomsError {
  constructor(url: string, detail: string) {
    super('NOTIFICATION_DELIVERY_FAILED', `delivery to ${url} failed: ${detail}`, {
      hint: 'check the receiver; the delivery log of the subscription lists every attempt',
    });
  }
}
