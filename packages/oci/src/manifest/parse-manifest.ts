import type { ErrorContext } from '@customs/errors';
import { isValidDigest } from '../digest.js';
import { ManifestInvalidError, NotAnImageError, UnsupportedManifestError } from '../errors.js';
import type { Platform } from '../image-source.js';
import {
  isImageConfigMediaType,
  isImageManifestMediaType,
  isIndexMediaType,
  isSchema1MediaType,
  mediaTypes,
} from './media-types.js';
import { isJsonObject, type JsonObject } from '../json-object.js';

/** An OCI content descriptor, the fields Customs uses. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

export type ParsedManifest = ImageManifest | ImageIndex;

function readStringMap(value: unknown): Record<string, string> | undefined {
  if (!isJsonObject(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return Object.fromEntries(entries);
}

function readPlatform(value: unknown): Platform | undefined {
  if (!isJsonObject(value) || typeof value.os !== 'string' || typeof value.architecture !== 'string')
    return undefined;
  const { os, architecture, variant } = value;
  return typeof variant === 'string' && variant !== '' ? { os, architecture, variant } : { os, architecture };
}

function readDescriptor(value: unknown, where: string, fail: (detail: string) => never): Descriptor {
  if (!isJsonObject(value)) fail(`${where} is not an object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string') fail(`${where} has no mediaType`);
  if (typeof digest !== 'string' || !isValidDigest(digest))
    fail(`${where} has no valid sha256/sha512 digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) fail(`${where} has no valid size`);
  const platform = readPlatform(value.platform);
  const annotations = readStringMap(value.annotations);
  return { mediaType, digest, size, ...(platform && { platform }), ...(annotations && { annotations }) };
}

function readDescriptors(value: unknown, field: string, fail: (detail: string) => never): Descriptor[] {
  if (!Array.isArray(value)) fail(`"${field}" is not a list`);
  return value.map((item, index) => readDescriptor(item, `${field}[${index}]`, fail));
}

/** The media type a manifest declares, else the one it was served with, else what its shape says. */
function decideMediaType(body: JsonObject, servedAs: string | null): string | null {
  if (typeof body.mediaType === 'string') return body.mediaType;
  const served = servedAs?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (isIndexMediaType(served) || isImageManifestMediaType(served) || isSchema1MediaType(served))
    return served;
  if (Array.isArray(body.manifests)) return mediaTypes.ociIndex;
  if (isJsonObject(body.config) && Array.isArray(body.layers)) return mediaTypes.ociManifest;
  return null;
}

/**
 * Reads an image manifest or an index (OCI or Docker schema 2). Schema 1, artifacts and anything
 * else are UNSUPPORTED_MANIFEST; malformed JSON or descriptors are MANIFEST_INVALID.
 */
export function parseManifest(
  bytes: Uint8Array,
  servedAs: string | null,
  what: string,
  context: ErrorContext = {},
): ParsedManifest {
  const fail = (detail: string): never => {
    throw new ManifestInvalidError(what, detail, context);
  };
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ManifestInvalidError(what, 'it is not JSON', context, error);
  }
  if (!isJsonObject(body)) return fail('it is not a JSON object');
  const mediaType = decideMediaType(body, servedAs);
  if (body.schemaVersion === 1 || (mediaType !== null && isSchema1MediaType(mediaType))) {
    throw new UnsupportedManifestError(
      what,
      'Docker schema 1 manifests (deprecated since 2017) are not supported',
      context,
    );
  }
  if (mediaType === null) throw new UnsupportedManifestError(what, 'its media type is not declared', context);
  if (isIndexMediaType(mediaType)) {
    return { kind: 'index', mediaType, manifests: readDescriptors(body.manifests, 'manifests', fail) };
  }
  if (!isImageManifestMediaType(mediaType)) {
    throw new UnsupportedManifestError(
      what,
      `media type ${mediaType} is not an image manifest or index`,
      context,
    );
  }
  const config = readDescriptor(body.config, 'config', fail);
  if (!isImageConfigMediaType(config.mediaType)) {
    const kind = typeof body.artifactType === 'string' ? body.artifactType : config.mediaType;
    throw new NotAnImageError(what, kind, context);
  }
  return { kind: 'manifest', mediaType, config, layers: readDescriptors(body.layers, 'layers', fail) };
}
