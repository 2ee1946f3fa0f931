import { setTimeout as delay } from 'node:timers/promises';
import { InvalidOptionError } from '@customs/errors';

export interface RetryPolicy {
  /** Tries per request, the first included. */
  maxAttempts: number;
  /** Backoff before the second try; doubled for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest wait a 429's Retry-After may impose; longer asks are cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
});

export function retryPolicyFrom(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new InvalidOptionError('retry.maxAttempts', `${policy.maxAttempts} is not a positive integer`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(policy[key]) || policy[key] < 0) {
      throw new InvalidOptionError(`retry.${key}`, `${policy[key]} is not a non-negative number`);
    }
  }
  return policy;
}

/**
 * Exponential backoff with jitter: the nth retry waits between half and all of base·2ⁿ⁻¹ (capped), so
 * many clients failing together do not come back together.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Server-side trouble that may pass: 5xx except "not implemented" and "version not supported". */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 && status !== 501 && status !== 505;
}

const transientNetworkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** A network failure worth another try (a reset, a refused or timed-out connection), found on the error or its cause. */
export function isTransientNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && depth < 4; depth += 1) {
    const code = errorCode(current);
    if (code !== undefined && transientNetworkCodes.has(code)) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}

/** Waits, unless the signal aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {});
}
