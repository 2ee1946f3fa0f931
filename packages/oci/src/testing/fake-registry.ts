import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAuthority, type FakeAuth } from './fake-auth.js';
import { FakeBlobResponder, type BlobBreaks } from './fake-blob-responder.js';
import { isImageManifestMediaType, isIndexMediaType } from '../manifest/media-types.js';
import { blobsOf, type FakeBlob, type FakeContent } from './fake-images.js';

/** A response forced on the next matching requests: 5xx, 429 with Retry-After, anything. */
export interface FakeFailure {
  on: 'ping' | 'manifest' | 'blob' | 'token' | 'storage';
  status: number;
  /** How many requests in a row get it. Default 1. */
  times?: number;
  headers?: Record<string, string>;
}

export interface FakeRegistryOptions {
  /** `repository:tag` → image or index, e.g. `{ 'library/debian:bookworm': fakeImage(…) }`. */
  images: Readonly<Record<string, FakeContent>>;
  auth?: FakeAuth;
  /** username → password. Default `{ scanner: 's3cret' }`. */
  users?: Readonly<Record<string, string>>;
  /** Token auth: whether an anonymous token may pull. Default false. */
  anonymousPull?: boolean;
  /** Token lifetime the token endpoint states. Default 300 s. */
  tokenExpiresIn?: number;
  /** Which field carries the token. Default `token`. */
  tokenField?: 'token' | 'access_token';
  /** Answer blob GETs with a 307 to a second loopback origin (like S3-backed registries). */
  redirectBlobs?: boolean;
  /** Whether blob GETs honour `Range: bytes=N-`. Default true. */
  rangeRequests?: boolean;
  failures?: FakeFailure[];
  /** Cut the connection after this many body bytes, for the next `times` responses (default 1) of that blob (default: any). */
  breakBlobs?: BlobBreaks;
}

export interface RecordedRequest {
  server: 'registry' | 'storage';
  method: string;
  path: string;
  authorization: string | null;
  range: string | null;
}

export interface FakeRegistryStats {
  pings: number;
  manifestGets: number;
  /** GETs of /v2/<name>/blobs/<digest> at the registry, redirected or not. */
  blobGets: number;
  tokenRequests: number;
  /** GETs at the blob storage origin (redirect targets). */
  storageGets: number;
  /** Storage GETs refused because they carried an Authorization header. */
  storageAuthRejected: number;
}

export interface FakeRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`: use it as the registry part of references. */
  readonly host: string;
  readonly stats: Readonly<FakeRegistryStats>;
  readonly requests: readonly RecordedRequest[];
  /** Serve other bytes under a digest, manifest or blob (to simulate corruption in storage or transit). */
  replaceBlob(digest: string, bytes: Uint8Array): void;
  /** Forget a blob or manifest, as a registry with a broken or garbage-collected store would. */
  deleteBlob(digest: string): void;
  /** Invalidate every token issued so far. */
  revokeTokens(): void;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string; host: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the fake registry is not listening on TCP');
  const { port } = address;
  return { server, url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    ...headers,
  });
  response.end(bytes);
}

function apiError(
  response: ServerResponse,
  status: number,
  code: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { errors: [{ code, message: code.toLowerCase().replace(/_/g, ' ') }] }, headers);
}

/**
 * A loopback registry speaking the distribution API (GET /v2/, manifests, blobs) over in-memory
 * images, with Basic or token auth, injectable failures, mid-body disconnects, Range support and an
 * optional S3-like second origin that blob GETs are redirected to (and that refuses Authorization).
 */
export async function createFakeRegistry(options: FakeRegistryOptions): Promise<FakeRegistry> {
  const blobs = new Map<string, FakeBlob>();
  const manifests = new Map<string, FakeBlob>();
  const tags = new Map<string, FakeBlob>();
  for (const [name, content] of Object.entries(options.images)) {
    for (const stored of blobsOf(content)) {
      const isManifest = isIndexMediaType(stored.mediaType) || isImageManifestMediaType(stored.mediaType);
      (isManifest ? manifests : blobs).set(stored.digest, stored);
    }
    tags.set(name, content.manifest);
  }
  const stats: FakeRegistryStats = {
    pings: 0,
    manifestGets: 0,
    blobGets: 0,
    tokenRequests: 0,
    storageGets: 0,
    storageAuthRejected: 0,
  };
  const requests: RecordedRequest[] = [];
  const failures = (options.failures ?? []).map((failure) => ({ ...failure, left: failure.times ?? 1 }));
  const blobResponder = new FakeBlobResponder(options.rangeRequests ?? true, options.breakBlobs);
  let authority: FakeAuthority | null = null;

  function record(server: RecordedRequest['server'], request: IncomingMessage): void {
    const { authorization, range } = request.headers;
    requests.push({
      server,
      method: request.method ?? 'GET',
      path: request.url ?? '',
      authorization: authorization ?? null,
      range: range ?? null,
    });
  }

  function injected(on: FakeFailure['on'], response: ServerResponse): boolean {
    const failure = failures.find((candidate) => candidate.on === on && candidate.left > 0);
    if (!failure) return false;
    failure.left -= 1;
    apiError(
      response,
      failure.status,
      failure.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE',
      failure.headers,
    );
    return true;
  }

  const storage = options.redirectBlobs
    ? await listen((request, response) => {
        record('storage', request);
        stats.storageGets += 1;
        if (request.headers.authorization !== undefined) {
          stats.storageAuthRejected += 1;
          response.writeHead(400, { 'content-type': 'application/xml' });
          response.end(
            '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>',
          );
          return;
        }
        if (injected('storage', response)) return;
        const digest = new URL(request.url ?? '/', 'http://storage').pathname.split('/').pop() ?? '';
        const stored = blobs.get(digest);
        if (stored) blobResponder.respond(request, response, stored);
        else apiError(response, 404, 'NoSuchKey');
      })
    : null;

  function authorized(request: IncomingMessage, response: ServerResponse, scope: string | null): boolean {
    const verdict = authority?.check(request, scope) ?? { allowed: true };
    if (verdict.allowed) return true;
    apiError(response, 401, 'UNAUTHORIZED', { 'www-authenticate': verdict.challenge });
    return false;
  }

  function serveManifest(
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
    reference: string,
  ): void {
    stats.manifestGets += 1;
    if (injected('manifest', response) || !authorized(request, response, `repository:${name}:pull`)) return;
    const stored = reference.includes(':') ? manifests.get(reference) : tags.get(`${name}:${reference}`);
    const accept = request.headers.accept ?? '*/*';
    if (!stored || !(accept.includes(stored.mediaType) || accept.includes('*/*'))) {
      apiError(response, 404, 'MANIFEST_UNKNOWN');
      return;
    }
    response.writeHead(200, {
      'content-type': stored.mediaType,
      'content-length': stored.bytes.length,
      'docker-content-digest': stored.digest,
    });
    response.end(request.method === 'HEAD' ? undefined : stored.bytes);
  }

  function serveRegistryBlob(
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
    digest: string,
  ): void {
    stats.blobGets += 1;
    if (injected('blob', response) || !authorized(request, response, `repository:${name}:pull`)) return;
    const stored = blobs.get(digest);
    if (!stored) apiError(response, 404, 'BLOB_UNKNOWN');
    else if (storage) {
      response.writeHead(307, {
        location: `${storage.url}/bucket/blobs/${digest}?X-Amz-Signature=fake`,
        'content-length': '0',
      });
      response.end();
    } else blobResponder.respond(request, response, stored);
  }

  const registry = await listen((request, response) => {
    record('registry', request);
    const url = new URL(request.url ?? '/', 'http://registry');
    if (url.pathname === '/token' && authority) {
      stats.tokenRequests += 1;
      if (injected('token', response)) return;
      const { status, body } = authority.issue(request, url);
      sendJson(response, status, body);
      return;
    }
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      stats.pings += 1;
      if (!injected('ping', response) && authorized(request, response, null)) sendJson(response, 200, {});
      return;
    }
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    const [, name = '', kind, reference = ''] = match ?? [];
    if (kind === 'manifests') serveManifest(request, response, name, reference);
    else if (kind === 'blobs') serveRegistryBlob(request, response, name, reference);
    else apiError(response, 404, 'NAME_UNKNOWN');
  });

  authority =
    (options.auth ?? 'none') === 'none'
      ? null
      : new FakeAuthority({
          auth: options.auth ?? 'none',
          users: options.users ?? { scanner: 's3cret' },
          anonymousPull: options.anonymousPull ?? false,
          tokenExpiresIn: options.tokenExpiresIn ?? 300,
          tokenField: options.tokenField ?? 'token',
          realm: `${registry.url}/token`,
        });

  return {
    url: registry.url,
    host: registry.host,
    stats,
    requests,
    replaceBlob(digest: string, bytes: Uint8Array): void {
      const store = manifests.has(digest) ? manifests : blobs;
      const stored = store.get(digest);
      store.set(digest, {
        digest,
        mediaType: stored?.mediaType ?? 'application/octet-stream',
        bytes: Buffer.from(bytes),
      });
      for (const [name, tagged] of tags)
        if (tagged.digest === digest) tags.set(name, { ...tagged, bytes: Buffer.from(bytes) });
    },
    deleteBlob(digest: string): void {
      blobs.delete(digest);
      manifests.delete(digest);
    },
    revokeTokens(): void {
      authority?.revokeAll();
    },
    async close(): Promise<void> {
      for (const { server } of [registry, ...(storage ? [storage] : [])]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
