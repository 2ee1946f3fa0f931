import type { ErrorContext } from '@customs/errors';
import { RegistryAuthError, RegistryRequestError } from '../errors.js';
import { registryApiHost } from '../reference/image-reference.js';
import type { ClientEnvironment } from './client-environment.js';
import { basicAuthorization, credentialsFor } from './credentials.js';
import { exchange, type HttpResponse } from './http-exchange.js';
import { sendWithRetries } from './send-with-retries.js';
import type { CachedToken } from './token-cache.js';
import { fetchToken } from './token-service.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';

export interface RegistryGet {
  /** Token scope, e.g. `repository:library/debian:pull`. */
  scope: string;
  headers?: Record<string, string>;
  context: ErrorContext;
  signal?: AbortSignal;
}

type Authorization = { header: string; token: string | null } | null;

/** Bearer if offered (it does not send the password to every request), else Basic, else whatever came. */
function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer') ??
    challenges.find((c) => c.scheme === 'basic') ??
    challenges[0]
  );
}

function describeRefusal(offered: Challenge | undefined, sent: Authorization, scope: string): string {
  const repository = scope.split(':')[1] ?? scope;
  if (offered?.params.error === 'insufficient_scope')
    return `pulling ${repository} is not allowed (insufficient_scope)`;
  if (sent === null) return `anonymous access to ${repository} was refused (HTTP 401)`;
  return `the credentials were not accepted for ${repository} (HTTP 401)`;
}

/**
 * Authenticated GETs against one registry's distribution API. `/v2/` is pinged once to learn the
 * auth scheme; Bearer tokens are cached per scope and renewed before expiry; a 401 drops the token
 * that was sent and tries once more with a fresh one (tokens do get revoked or expire early).
 */
export class RegistryHttp {
  readonly origin: URL;
  #challenge: Promise<Challenge | null> | null = null;
  readonly #pendingTokens = new Map<string, Promise<CachedToken>>();

  constructor(
    readonly registry: string,
    private readonly environment: ClientEnvironment,
  ) {
    const scheme = environment.isPlainHttp(registry) ? 'http' : 'https';
    this.origin = new URL(`${scheme}://${registryApiHost(registry)}`);
  }

  async #discover(context: ErrorContext, signal?: AbortSignal): Promise<Challenge | null> {
    const url = new URL('/v2/', this.origin);
    const scope = { registry: this.registry, context, ...(signal && { signal }) };
    const response = await sendWithRetries(this.environment, scope, () =>
      exchange(this.environment, { url, headers: {}, authorization: null, ...(signal && { signal }) }),
    );
    await response.body.dump();
    if (response.status >= 200 && response.status < 300) return null;
    if (response.status === 401) {
      const challenge = pickChallenge(parseWwwAuthenticate(response.headers['www-authenticate']));
      if (challenge) return challenge;
      throw new RegistryRequestError(
        this.registry,
        '/v2/ answered 401 without a WWW-Authenticate challenge',
        context,
      );
    }
    const detail =
      response.status === 404
        ? 'it does not serve the registry API at /v2/'
        : `/v2/ answered HTTP ${response.status}`;
    throw new RegistryRequestError(this.registry, detail, context);
  }

  #challengeOnce(context: ErrorContext, signal?: AbortSignal): Promise<Challenge | null> {
    this.#challenge ??= this.#discover(context, signal).catch((error: unknown) => {
      this.#challenge = null;
      throw error;
    });
    return this.#challenge;
  }

  #token(
    challenge: Challenge,
    scope: string,
    context: ErrorContext,
    signal?: AbortSignal,
  ): Promise<CachedToken> {
    const { environment, registry } = this;
    const cached = environment.tokens.get(registry, scope, environment.now());
    if (cached) return Promise.resolve(cached);
    let pending = this.#pendingTokens.get(scope);
    if (pending === undefined) {
      pending = credentialsFor(environment.credentials, registry)
        .then((credentials) =>
          fetchToken(environment, {
            registry,
            challenge,
            scope,
            credentials,
            context,
            ...(signal && { signal }),
          }),
        )
        .then((token) => {
          environment.tokens.set(registry, scope, token);
          return token;
        })
        .finally(() => this.#pendingTokens.delete(scope));
      this.#pendingTokens.set(scope, pending);
    }
    return pending;
  }

  async #authorize(scope: string, context: ErrorContext, signal?: AbortSignal): Promise<Authorization> {
    const challenge = await this.#challengeOnce(context, signal);
    if (challenge === null) return null;
    if (challenge.scheme === 'bearer') {
      const { token } = await this.#token(challenge, scope, context, signal);
      return { header: `Bearer ${token}`, token };
    }
    if (challenge.scheme === 'basic') {
      const credentials = await credentialsFor(this.environment.credentials, this.registry);
      if (credentials) return { header: basicAuthorization(credentials), token: null };
      throw new RegistryAuthError(
        this.registry,
        'it requires a username and password (HTTP Basic) and none were given',
        context,
      );
    }
    throw new RegistryAuthError(
      this.registry,
      `it asks for ${challenge.scheme} authentication, which Customs does not support`,
      context,
    );
  }

  /** A GET of a registry path; the response is anything but a 401/403 from the registry or a server error. */
  async get(path: string, request: RegistryGet): Promise<HttpResponse> {
    const url = new URL(path, this.origin);
    const { signal, context, scope } = request;
    const retryScope = { registry: this.registry, context, ...(signal && { signal }) };
    for (let round = 0; ; round += 1) {
      const sent = await this.#authorize(scope, context, signal);
      const response = await sendWithRetries(this.environment, retryScope, () =>
        exchange(this.environment, {
          url,
          headers: request.headers ?? {},
          authorization: sent?.header ?? null,
          ...(signal && { signal }),
        }),
      );
      const fromRegistry = response.url.origin === this.origin.origin;
      if (!fromRegistry || (response.status !== 401 && response.status !== 403)) return response;
      await response.body.dump();
      if (response.status === 403) {
        throw new RegistryAuthError(
          this.registry,
          `it denied access to ${scope.split(':')[1] ?? scope} (HTTP 403)`,
          context,
        );
      }
      if (sent?.token) this.environment.tokens.invalidate(this.registry, scope, sent.token);
      const offered = pickChallenge(parseWwwAuthenticate(response.headers['www-authenticate']));
      if (round > 0)
        throw new RegistryAuthError(this.registry, describeRefusal(offered, sent, scope), context);
      if (offered) this.#challenge = Promise.resolve(offered);
    }
  }
}
