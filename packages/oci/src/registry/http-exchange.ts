import { request, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientEnvironment } from './client-environment.js';

export type ResponseBody = Dispatcher.ResponseData['body'];

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: ResponseBody;
  /** Where the response came from, after redirects. */
  url: URL;
}

export interface ExchangeRequest {
  url: URL;
  headers: Record<string, string>;
  /** Sent to `url`'s origin only: a redirect elsewhere (e.g. a presigned S3 URL) goes without it. */
  authorization: string | null;
  signal?: AbortSignal;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
export const MAX_REDIRECTS = 5;

/** A response the protocol does not let us follow; the caller names the registry in its error. */
export class RedirectError extends Error {}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function nextLocation(response: HttpResponse, environment: ClientEnvironment): URL {
  const location = headerValue(response.headers, 'location');
  if (location === undefined)
    throw new RedirectError(`HTTP ${response.status} redirect without a Location header`);
  const target = new URL(location, response.url);
  if (
    target.protocol === 'http:' &&
    response.url.protocol === 'https:' &&
    !environment.isPlainHttp(target.host)
  ) {
    throw new RedirectError(`refusing a redirect from HTTPS to plain HTTP (${target.host})`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new RedirectError(`refusing a redirect to a ${target.protocol} URL`);
  }
  return target;
}

/**
 * One GET, following redirects by hand (at most five) so that the registry's Authorization header
 * never reaches another origin: S3-backed registries answer blob GETs with a 307 to a presigned URL,
 * and S3 rejects (or logs) a request carrying a second credential.
 */
export async function exchange(environment: ClientEnvironment, call: ExchangeRequest): Promise<HttpResponse> {
  let url = call.url;
  for (let redirects = 0; ; redirects += 1) {
    const sameOrigin = url.origin === call.url.origin;
    const headers = {
      'user-agent': environment.userAgent,
      ...call.headers,
      ...(sameOrigin && call.authorization !== null && { authorization: call.authorization }),
    };
    const {
      statusCode,
      headers: responseHeaders,
      body,
    } = await request(url, {
      method: 'GET',
      headers,
      dispatcher: environment.dispatcher,
      headersTimeout: environment.headersTimeoutMs,
      bodyTimeout: environment.bodyTimeoutMs,
      ...(call.signal && { signal: call.signal }),
    });
    const response: HttpResponse = { status: statusCode, headers: responseHeaders, body, url };
    if (!redirectStatuses.has(statusCode)) return response;
    await body.dump();
    if (redirects === MAX_REDIRECTS)
      throw new RedirectError(`more than ${MAX_REDIRECTS} redirects, last to ${url.host}`);
    url = nextLocation(response, environment);
  }
}

/**
 * Drops a response body without reading it. undici reports destroying an unfinished body as a
 * "Request aborted" error event; nobody is listening any more, so that event is swallowed here.
 */
export function discardBody(body: ResponseBody): void {
  body.on('error', () => {});
  body.destroy();
}

/** Reads a whole (small) body, refusing one larger than `maxBytes` without reading it all. */
export async function readCapped(
  body: ResponseBody,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > maxBytes) {
      discardBody(body);
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
