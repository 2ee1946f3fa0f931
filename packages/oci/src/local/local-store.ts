import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ErrorContext } from '@customs/errors';
import { verifiedStream, verifyBytes } from '../blob/verify.js';
import { BlobNotFoundError, ConfigInvalidError, ManifestInvalidError } from '../errors.js';
import type { LayerDescriptor, OpenLayerOptions } from '../image-source.js';
import type { Descriptor } from '../manifest/parse-manifest.js';
import {
  MAX_CONFIG_BYTES,
  MAX_MANIFEST_BYTES,
  type ContentStore,
  type FetchedManifest,
} from '../resolve/content-store.js';
import { blobPath, readLocation, type BlobLocation, type BlobLocator } from './blob-locator.js';

/** Opens a byte range of a file as a stream verified against the digest and size it should have. */
export function openVerifiedRange(
  location: BlobLocation,
  expected: { digest: string; size: number; what: string },
  options: OpenLayerOptions,
  context: ErrorContext,
): Readable {
  const source =
    location.size === 0
      ? Readable.from([])
      : createReadStream(location.file, { start: location.start, end: location.start + location.size - 1 });
  return verifiedStream(source, {
    ...expected,
    context: { ...context, layer: expected.digest },
    ...(options.onBytes && { onBytes: options.onBytes }),
    ...(options.signal && { signal: options.signal }),
  });
}

/** The blobs of an OCI image layout, in a directory or an archive, checked against their digests. */
export class LocalStore implements ContentStore {
  constructor(readonly locator: BlobLocator) {}

  async #locate(digest: string, context: ErrorContext): Promise<BlobLocation> {
    const location = await this.locator.locate(blobPath(digest));
    if (location === null) throw new BlobNotFoundError(this.locator.where, digest, context);
    return location;
  }

  async fetchManifest(descriptor: Descriptor, context: ErrorContext): Promise<FetchedManifest> {
    const location = await this.#locate(descriptor.digest, context);
    const what = `manifest ${descriptor.digest}`;
    if (location.size > MAX_MANIFEST_BYTES) {
      throw new ManifestInvalidError(what, `it is larger than ${MAX_MANIFEST_BYTES} bytes`, context);
    }
    const bytes = await readLocation(location);
    verifyBytes(bytes, descriptor, what, 'MANIFEST_DIGEST_MISMATCH', context);
    return { digest: descriptor.digest, mediaType: descriptor.mediaType, bytes };
  }

  async readBlob(descriptor: Descriptor, context: ErrorContext): Promise<Buffer> {
    const location = await this.#locate(descriptor.digest, context);
    if (location.size > MAX_CONFIG_BYTES) {
      throw new ConfigInvalidError(descriptor.digest, `it is larger than ${MAX_CONFIG_BYTES} bytes`, context);
    }
    const bytes = await readLocation(location);
    verifyBytes(bytes, descriptor, `config ${descriptor.digest}`, 'BLOB_DIGEST_MISMATCH', context);
    return bytes;
  }

  async openBlob(
    layer: LayerDescriptor,
    options: OpenLayerOptions,
    context: ErrorContext,
  ): Promise<Readable> {
    const location = await this.#locate(layer.digest, context);
    return openVerifiedRange(
      location,
      { digest: layer.digest, size: layer.size, what: `layer ${layer.digest}` },
      options,
      context,
    );
  }
}
