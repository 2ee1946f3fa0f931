import type { Readable } from 'node:stream';
import { isCustomsError, type ErrorContext } from '@customs/errors';
import { verifyBytes } from '../blob/verify.js';
import { digestOf, isValidDigest } from '../digest.js';
import {
  BlobNotFoundError,
  BlobSizeMismatchError,
  ConfigInvalidError,
  ManifestInvalidError,
  ManifestNotFoundError,
  RegistryRequestError,
  RegistryUnavailableError,
} from '../errors.js';
import type { LayerDescriptor, OpenLayerOptions } from '../image-source.js';
import { manifestAcceptHeader } from '../manifest/media-types.js';
import type { Descriptor } from '../manifest/parse-manifest.js';
import {
  MAX_CONFIG_BYTES,
  MAX_MANIFEST_BYTES,
  type ContentStore,
  type FetchedManifest,
} from '../resolve/content-store.js';
import type { ClientEnvironment } from './client-environment.js';
import { headerValue, readCapped, type HttpResponse } from './http-exchange.js';
import type { RegistryHttp } from './registry-http.js';
import { openResumableBlob, type BlobTarget } from './resumable-download.js';
import { backoffDelay, isTransientNetworkError } from './retry.js';
import { describeNetworkError } from './send-with-retries.js';

/** One repository of a registry, seen as content-addressed storage. */
export class RepositoryStore implements ContentStore {
  readonly #scope: string;

  constructor(
    private readonly http: RegistryHttp,
    readonly repository: string,
    private readonly environment: ClientEnvironment,
  ) {
    this.#scope = `repository:${repository}:pull`;
  }

  #unexpected(response: HttpResponse, what: string, context: ErrorContext): RegistryRequestError {
    const from = response.url.host === this.http.origin.host ? '' : ` (from ${response.url.host})`;
    return new RegistryRequestError(
      this.http.registry,
      `GET ${what} answered HTTP ${response.status}${from}`,
      context,
    );
  }

  /**
   * A manifest by tag or digest. By digest, the bytes must hash to it; by tag, the digest is computed
   * from the bytes, never taken from Docker-Content-Digest (a proxy may rewrite that header).
   */
  async getManifest(
    reference: string,
    context: ErrorContext,
    signal?: AbortSignal,
  ): Promise<FetchedManifest> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#getManifestOnce(reference, context, signal);
      } catch (error) {
        // Headers arrived but the body broke: sendWithRetries never saw it, so retry it here.
        if (isCustomsError(error) || signal?.aborted || !isTransientNetworkError(error)) throw error;
        const { retry, random } = this.environment;
        if (attempt >= retry.maxAttempts) {
          throw new RegistryUnavailableError(
            this.http.registry,
            attempt,
            describeNetworkError(error),
            context,
            error,
          );
        }
        await this.environment.sleep(backoffDelay(attempt, retry, random), signal);
      }
    }
  }

  async #getManifestOnce(
    reference: string,
    context: ErrorContext,
    signal?: AbortSignal,
  ): Promise<FetchedManifest> {
    const what = `manifest ${this.repository}${isValidDigest(reference) ? '@' : ':'}${reference}`;
    const response = await this.http.get(`/v2/${this.repository}/manifests/${reference}`, {
      scope: this.#scope,
      headers: { accept: manifestAcceptHeader },
      context,
      ...(signal && { signal }),
    });
    if (response.status === 404) {
      await response.body.dump();
      throw new ManifestNotFoundError(this.http.registry, this.repository, reference, context);
    }
    if (response.status !== 200) {
      await response.body.dump();
      throw this.#unexpected(response, what, context);
    }
    const tooLarge = () =>
      new ManifestInvalidError(what, `it is larger than ${MAX_MANIFEST_BYTES} bytes`, context);
    const bytes = await readCapped(response.body, MAX_MANIFEST_BYTES, tooLarge);
    const mediaType = headerValue(response.headers, 'content-type') ?? null;
    if (!isValidDigest(reference)) return { digest: digestOf(bytes), mediaType, bytes };
    verifyBytes(bytes, { digest: reference }, what, 'MANIFEST_DIGEST_MISMATCH', context);
    return { digest: reference, mediaType, bytes };
  }

  /** A manifest an index points to: fetched by digest (so verified), and as long as the index says. */
  async fetchManifest(descriptor: Descriptor, context: ErrorContext): Promise<FetchedManifest> {
    const fetched = await this.getManifest(descriptor.digest, context);
    if (fetched.bytes.length !== descriptor.size) {
      const actual = String(fetched.bytes.length);
      throw new BlobSizeMismatchError(`manifest ${descriptor.digest}`, descriptor.size, actual, context);
    }
    return { ...fetched, mediaType: fetched.mediaType ?? descriptor.mediaType };
  }

  async #blobResponse(
    digest: string,
    start: number,
    context: ErrorContext,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const response = await this.http.get(`/v2/${this.repository}/blobs/${digest}`, {
      scope: this.#scope,
      headers: start > 0 ? { range: `bytes=${start}-` } : {},
      context,
      ...(signal && { signal }),
    });
    if (response.status === 404) {
      await response.body.dump();
      throw new BlobNotFoundError(`${this.http.registry}/${this.repository}`, digest, context);
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body.dump();
      throw this.#unexpected(response, `blob ${digest}`, context);
    }
    return response;
  }

  #open(blob: BlobTarget, options: OpenLayerOptions, context: ErrorContext): Promise<Readable> {
    const fetchFrom = (start: number, signal?: AbortSignal) =>
      this.#blobResponse(blob.digest, start, context, signal);
    return openResumableBlob(fetchFrom, blob, options, this.environment, context);
  }

  /** The config, through the same verified, resumable download as layers (its size is checked first). */
  async readBlob(descriptor: Descriptor, context: ErrorContext): Promise<Buffer> {
    if (descriptor.size > MAX_CONFIG_BYTES) {
      throw new ConfigInvalidError(descriptor.digest, `it is larger than ${MAX_CONFIG_BYTES} bytes`, context);
    }
    const blob = { digest: descriptor.digest, size: descriptor.size, what: `config ${descriptor.digest}` };
    const chunks: Buffer[] = [];
    for await (const chunk of await this.#open(blob, {}, context)) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }

  openBlob(layer: LayerDescriptor, options: OpenLayerOptions, context: ErrorContext): Promise<Readable> {
    return this.#open(
      { digest: layer.digest, size: layer.size, what: `layer ${layer.digest}` },
      options,
      context,
    );
  }
}
