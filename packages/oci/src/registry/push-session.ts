import { request } from 'undici';
import { RegistryAuthError, RegistryRequestError } from '../errors.js';
import type { ClientEnvironment } from './client-environment.js';
import { basicAuthorization, credentialsFor } from './credentials.js';
import { fetchToken } from './token-service.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

export type Body = () => Buffer | NodeJS.ReadableStream;

export interface PushResponse {
  status: number;
  location: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The response body as text (small: manifests, indexes, error documents). */
  text: string;
}

/**
 * Requests to one repository with push rights: the first 401 is answered (a Bearer token with
 * `pull,push` scope, or Basic) and the token is reused for every later request of the session.
 */
export class PushSession {
  #authorization: string | null = null;

  constructor(
    private readonly environment: ClientEnvironment,
    readonly registry: string,
    readonly repository: string,
    private readonly origin: URL,
  ) {}

  /** Uploads a blob the registry does not have yet: POST, then one monolithic PUT. */
  async uploadBlob(digest: string, size: number, body: Body): Promise<void> {
    const head = await this.send('HEAD', `/v2/${this.repository}/blobs/${digest}`, [200, 404]);
    if (head.status === 200) return;
    const started = await this.send('POST', `/v2/${this.repository}/blobs/uploads/`, [202]);
    const location = started.location;
    if (!location)
      throw new RegistryRequestError(this.registry, 'blob upload answered 202 without a Location', {});
    const target = new URL(location, this.origin);
    target.searchParams.set('digest', digest);
    await this.send('PUT', target.pathname + target.search, [201], {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
    });
  }

  /** One request; on a 401 the challenge is answered (push scope) and the request sent once more. */
  async send(
    method: 'GET' | 'HEAD' | 'POST' | 'PUT',
    path: string,
    expected: readonly number[],
    extra: { headers?: Record<string, string>; body?: Body } = {},
  ): Promise<PushResponse> {
    for (let round = 0; ; round++) {
      const response = await request(new URL(path, this.origin), {
        method,
        dispatcher: this.environment.dispatcher,
        headers: {
          'user-agent': this.environment.userAgent,
          ...extra.headers,
          ...(this.#authorization && { authorization: this.#authorization }),
        },
        ...(extra.body && { body: extra.body() as Buffer }),
      });
      const text = await response.body.text();
      if (response.statusCode === 401 && round === 0) {
        await this.#authorize(response.headers['www-authenticate']);
        continue;
      }
      if (response.statusCode === 401 || response.statusCode === 403) {
        throw new RegistryAuthError(
          this.registry,
          `pushing to ${this.repository} was refused (HTTP ${response.statusCode})`,
          {},
        );
      }
      if (!expected.includes(response.statusCode)) {
        throw new RegistryRequestError(
          this.registry,
          `${method} ${path.split('?')[0]} answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`,
          {},
        );
      }
      const location = response.headers.location;
      return {
        status: response.statusCode,
        location: Array.isArray(location) ? location[0] : location,
        headers: response.headers,
        text,
      };
    }
  }

  async #authorize(header: string | string[] | undefined): Promise<void> {
    const challenges = parseWwwAuthenticate(header);
    const credentials = await credentialsFor(this.environment.credentials, this.registry);
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
    if (bearer) {
      const token = await fetchToken(this.environment, {
        registry: this.registry,
        challenge: bearer,
        scope: `repository:${this.repository}:pull,push`,
        credentials,
        context: {},
      });
      this.#authorization = `Bearer ${token.token}`;
      return;
    }
    if (challenges.some((challenge) => challenge.scheme === 'basic') && credentials) {
      this.#authorization = basicAuthorization(credentials);
      return;
    }
    throw new RegistryAuthError(this.registry, `pushing to ${this.repository} needs credentials`, {});
  }
}
