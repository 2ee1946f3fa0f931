import type { ErrorContext } from '@customs/errors';
import { RegistryRequestError, RegistryUnavailableError } from '../errors.js';
import type { ClientEnvironment } from './client-environment.js';
import { headerValue, RedirectError, type HttpResponse } from './http-exchange.js';
import { backoffDelay, isRetryableStatus, isTransientNetworkError, parseRetryAfter } from './retry.js';

export interface RetryScope {
  /** Named in the error when the registry stays unavailable. */
  registry: string;
  context: ErrorContext;
  signal?: AbortSignal;
}

export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}${code}`;
}

type Failure = { problem: string; waitMs: number; cause?: unknown };

async function judge(
  response: HttpResponse,
  attempt: number,
  environment: ClientEnvironment,
): Promise<Failure | null> {
  const { retry } = environment;
  if (response.status === 429) {
    await response.body.dump();
    const asked = parseRetryAfter(headerValue(response.headers, 'retry-after'), environment.now());
    const waitMs = Math.min(asked ?? backoffDelay(attempt, retry, environment.random), retry.maxRetryAfterMs);
    return { problem: `rate limited (HTTP 429 from ${response.url.host})`, waitMs };
  }
  if (isRetryableStatus(response.status)) {
    await response.body.dump();
    return {
      problem: `HTTP ${response.status} from ${response.url.host}`,
      waitMs: backoffDelay(attempt, retry, environment.random),
    };
  }
  return null;
}

/**
 * Sends until a response that is not a server error or a rate limit arrives, or the attempts run
 * out (REGISTRY_UNAVAILABLE, saying how many were made). 5xx and transient network errors back off
 * exponentially with jitter; a 429 waits as long as its Retry-After asks, up to the policy's cap.
 */
export async function sendWithRetries(
  environment: ClientEnvironment,
  scope: RetryScope,
  send: () => Promise<HttpResponse>,
): Promise<HttpResponse> {
  for (let attempt = 1; ; attempt += 1) {
    let failure: Failure;
    try {
      const response = await send();
      const judged = await judge(response, attempt, environment);
      if (judged === null) return response;
      failure = judged;
    } catch (error) {
      if (scope.signal?.aborted) throw error;
      if (error instanceof RedirectError)
        throw new RegistryRequestError(scope.registry, error.message, scope.context);
      if (!isTransientNetworkError(error)) {
        throw new RegistryUnavailableError(
          scope.registry,
          attempt,
          describeNetworkError(error),
          scope.context,
          error,
        );
      }
      failure = {
        problem: describeNetworkError(error),
        waitMs: backoffDelay(attempt, environment.retry, environment.random),
        cause: error,
      };
    }
    if (attempt >= environment.retry.maxAttempts) {
      throw new RegistryUnavailableError(
        scope.registry,
        attempt,
        failure.problem,
        scope.context,
        failure.cause,
      );
    }
    await environment.sleep(failure.waitMs, scope.signal);
  }
}
