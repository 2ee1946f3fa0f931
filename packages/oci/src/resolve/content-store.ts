import type { Readable } from 'node:stream';
import type { ErrorContext } from '@customs/errors';
import type { LayerDescriptor, OpenLayerOptions } from '../image-source.js';
import type { Descriptor } from '../manifest/parse-manifest.js';

/** Registries must accept manifests up to 4 MiB (distribution spec); larger is not an image we scan. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Image configs (and docker save's manifest.json) are JSON; long histories stay far below this. */
export const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

/** A manifest or index as stored, with the digest it was verified against. */
export interface FetchedManifest {
  digest: string;
  /** The media type it was served or described with, when there was one. */
  mediaType: string | null;
  bytes: Buffer;
}

/**
 * Content-addressed storage an image can be resolved from: a registry repository, an OCI layout, an
 * archive. Everything it returns has been checked against the digest it was asked for.
 */
export interface ContentStore {
  fetchManifest(descriptor: Descriptor, context: ErrorContext): Promise<FetchedManifest>;
  /** A small blob (an image config) read into memory. */
  readBlob(descriptor: Descriptor, context: ErrorContext): Promise<Buffer>;
  /** A layer blob, verified while it streams. */
  openBlob(layer: LayerDescriptor, options: OpenLayerOptions, context: ErrorContext): Promise<Readable>;
}
