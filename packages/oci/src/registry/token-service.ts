import type { ErrorContext } from '@customs/errors';
import { RegistryAuthError, RegistryRequestError } from '../errors.js';
import type { ClientEnvironment } from './client-environment.js';
import { basicAuthorization, type Credentials } from './credentials.js';
import { exchange, readCapped } from './http-exchange.js';
import { sendWithRetries } from './send-with-retries.js';
import type { CachedToken } from './token-cache.js';
import type { Challenge } from './www-authenticate.js';
import { isJsonObject } from '../json-object.js';

/** Docker treats shorter lifetimes as 60 s, and so does the distribution token spec's default. */
const MIN_TOKEN_SECONDS = 60;
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

export interface TokenRequest {
  registry: string;
  challenge: Challenge;
  scope: string;
  credentials: Credentials | undefined;
  context: ErrorContext;
  signal?: AbortSignal;
}

function realmOf(request: TokenRequest, environment: ClientEnvironment): URL {
  const realm = request.challenge.params.realm;
  let url: URL;
  try {
    url = new URL(realm ?? '');
  } catch {
    throw new RegistryRequestError(
      request.registry,
      `its Bearer challenge has no usable realm ("${realm ?? ''}")`,
      request.context,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RegistryRequestError(
      request.registry,
      `its token realm ${url.href} is not an HTTP(S) URL`,
      request.context,
    );
  }
  if (url.protocol === 'http:' && request.credentials !== undefined && !environment.isPlainHttp(url.host)) {
    throw new RegistryAuthError(
      request.registry,
      `its token service ${url.host} is plain HTTP; credentials are not sent there unless it is listed as insecure`,
      request.context,
    );
  }
  return url;
}

/**
 * When the token stops being good: its lifetime (at least 60 s) counted from issued_at. An issued_at
 * in the future, or so far past that half the lifetime is gone, means the clocks disagree; then the
 * lifetime counts from now, or every request would fetch a new token. A token that dies earlier than
 * we think is caught by the 401 it gets, and renewed.
 */
export function expiryOf(body: Record<string, unknown>, now: number): number {
  const seconds =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : MIN_TOKEN_SECONDS;
  const lifetime = Math.max(seconds, MIN_TOKEN_SECONDS) * 1000;
  const stated = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : Number.NaN;
  const plausible = !Number.isNaN(stated) && stated <= now && now - stated < lifetime / 2;
  return (plausible ? stated : now) + lifetime;
}

/**
 * Asks the challenge's realm for a pull token (distribution token spec): GET with `service` and
 * `scope`, Basic credentials when there are any, `token` or `access_token` in the answer.
 */
export async function fetchToken(
  environment: ClientEnvironment,
  request: TokenRequest,
): Promise<CachedToken> {
  const url = realmOf(request, environment);
  const service = request.challenge.params.service;
  if (service !== undefined) url.searchParams.set('service', service);
  url.searchParams.set('scope', request.scope);
  if (request.credentials) url.searchParams.set('account', request.credentials.username);
  const authorization = request.credentials ? basicAuthorization(request.credentials) : null;
  const scope = {
    registry: request.registry,
    context: request.context,
    ...(request.signal && { signal: request.signal }),
  };
  const response = await sendWithRetries(environment, scope, () =>
    exchange(environment, {
      url,
      headers: { accept: 'application/json' },
      authorization,
      ...(request.signal && { signal: request.signal }),
    }),
  );
  if (response.status === 401 || response.status === 403) {
    await response.body.dump();
    const who = request.credentials
      ? `the credentials for user "${request.credentials.username}"`
      : 'anonymous access';
    throw new RegistryAuthError(
      request.registry,
      `its token service ${url.host} rejected ${who} (HTTP ${response.status})`,
      request.context,
    );
  }
  if (response.status !== 200) {
    await response.body.dump();
    throw new RegistryRequestError(
      request.registry,
      `its token service ${url.host} answered HTTP ${response.status}`,
      request.context,
    );
  }
  const tooLarge = () =>
    new RegistryRequestError(
      request.registry,
      `its token response is over ${MAX_TOKEN_RESPONSE_BYTES} bytes`,
      request.context,
    );
  const text = (await readCapped(response.body, MAX_TOKEN_RESPONSE_BYTES, tooLarge)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new RegistryRequestError(
      request.registry,
      `its token service ${url.host} did not answer JSON`,
      request.context,
      error,
    );
  }
  if (!isJsonObject(body)) {
    throw new RegistryRequestError(
      request.registry,
      `its token service ${url.host} did not answer a JSON object`,
      request.context,
    );
  }
  const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new RegistryRequestError(
      request.registry,
      `its token service ${url.host} answered without a token`,
      request.context,
    );
  }
  return { token, expiresAt: expiryOf(body, environment.now()) };
}
