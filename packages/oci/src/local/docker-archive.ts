import type { ErrorContext } from '@customs/errors';
import { verifyBytes } from '../blob/verify.js';
import { digestOf } from '../digest.js';
import { BlobNotFoundError, ConfigInvalidError, OciError } from '../errors.js';
import type { ResolvedImage } from '../image-source.js';
import { describeLayers, parseImageConfig, platformOfConfig } from '../manifest/image-config.js';
import { mediaTypes } from '../manifest/media-types.js';
import type { Descriptor } from '../manifest/parse-manifest.js';
import { MAX_CONFIG_BYTES } from '../resolve/content-store.js';
import { createResolvedImage } from '../resolve/resolved-image.js';
import { readLocation, type BlobLocation, type BlobLocator } from './blob-locator.js';
import { allNames, selectByName } from './image-names.js';
import { openVerifiedRange } from './local-store.js';
import { isJsonObject } from '../json-object.js';

/** One image of a `docker save` manifest.json. */
interface SavedImage {
  config: string;
  repoTags: string[];
  layers: string[];
  /** Docker ≥ 25 LayerSources: the media type of each layer blob, by digest. */
  layerMediaTypes: Map<string, string>;
}

function archiveError(where: string, detail: string): OciError {
  return new OciError('ARCHIVE_INVALID', `${where} is not a valid docker save archive: ${detail}`, {
    hint: 'give a tar written by `docker save` or `skopeo copy … docker-archive:`',
  });
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function readLayerMediaTypes(sources: unknown): Map<string, string> {
  const types = new Map<string, string>();
  if (!isJsonObject(sources)) return types;
  for (const [digest, source] of Object.entries(sources)) {
    if (isJsonObject(source) && typeof source.mediaType === 'string') types.set(digest, source.mediaType);
  }
  return types;
}

function readSavedImages(bytes: Buffer, where: string): SavedImage[] {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw archiveError(where, 'manifest.json is not JSON');
  }
  if (!Array.isArray(body)) throw archiveError(where, 'manifest.json is not a list');
  return body.map((entry, index) => {
    if (!isJsonObject(entry) || typeof entry.Config !== 'string' || !isStringList(entry.Layers)) {
      throw archiveError(where, `manifest.json entry ${index} lacks Config or Layers`);
    }
    return {
      config: entry.Config,
      repoTags: isStringList(entry.RepoTags) ? entry.RepoTags : [],
      layers: entry.Layers,
      layerMediaTypes: readLayerMediaTypes(entry.LayerSources),
    };
  });
}

/** `blobs/sha256/<hex>` (Docker ≥ 25) and `<hex>.json` (older configs) name their content's digest. */
function digestInPath(path: string): string | null {
  const blob = /(?:^|\/)blobs\/(sha256|sha512)\/([a-f0-9]+)$/.exec(path);
  if (blob) return `${blob[1]}:${blob[2]}`;
  const config = /(?:^|\/)([a-f0-9]{64})\.json$/.exec(path);
  return config ? `sha256:${config[1]}` : null;
}

function choose(images: SavedImage[], tag: string | null, where: string, context: ErrorContext): SavedImage {
  const names = allNames(images, (image) => image.repoTags);
  const chosen = tag === null ? images : selectByName(images, (image) => image.repoTags, tag);
  const [only] = chosen;
  if (chosen.length === 1 && only !== undefined) return only;
  if (chosen.length === 0 && tag !== null) {
    throw new OciError(
      'IMAGE_TAG_NOT_FOUND',
      `no image named "${tag}" in ${where}; it holds: ${names.join(', ') || '(no names)'}`,
      {
        hint: `name one of them as ${where}:<name>`,
        context,
      },
    );
  }
  if (chosen.length === 0) throw archiveError(where, 'manifest.json lists no images');
  throw new OciError(
    'IMAGE_AMBIGUOUS',
    `${where} holds ${chosen.length} images: ${names.join(', ') || '(untagged)'}`,
    {
      hint: `name one as ${where}:<name>`,
      context,
    },
  );
}

async function locate(locator: BlobLocator, path: string, context: ErrorContext): Promise<BlobLocation> {
  const location = await locator.locate(path);
  if (location === null) throw new BlobNotFoundError(locator.where, path, context);
  return location;
}

/**
 * Reads an image from a `docker save` archive's manifest.json. Layers there are blobs without
 * descriptors: a layer's digest is the one its path names (Docker ≥ 25) or else its diff ID from the
 * config (older saves store layers uncompressed, so the two are the same bytes' digest). Either way it
 * is verified while streaming; a layer read in place (`localLayer`) is not. There is no registry
 * manifest, so `manifestDigest` is null.
 */
export async function resolveDockerArchive(
  locator: BlobLocator,
  tag: string | null,
  reference: string,
): Promise<ResolvedImage[]> {
  const context = { image: reference };
  const where = locator.where;
  const manifestFile = await locate(locator, 'manifest.json', context);
  if (manifestFile.size > MAX_CONFIG_BYTES) throw archiveError(where, 'manifest.json is too large');
  const image = choose(readSavedImages(await readLocation(manifestFile), where), tag, where, context);
  const configFile = await locate(locator, image.config, context);
  if (configFile.size > MAX_CONFIG_BYTES)
    throw new ConfigInvalidError(image.config, 'it is too large', context);
  const configBytes = await readLocation(configFile);
  const named = digestInPath(image.config);
  if (named !== null)
    verifyBytes(configBytes, { digest: named }, `config ${image.config}`, 'BLOB_DIGEST_MISMATCH', context);
  const configDigest = named ?? digestOf(configBytes);
  const config = parseImageConfig(configBytes, configDigest, context);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const locations = new Map<string, BlobLocation>();
  const descriptors: Descriptor[] = [];
  for (const [index, path] of image.layers.entries()) {
    const location = await locate(locator, path, context);
    const digest =
      digestInPath(path) ?? (diffIds.length === image.layers.length ? diffIds[index] : undefined);
    if (digest === undefined) {
      throw archiveError(
        where,
        `layer ${path} cannot be verified: the config has ${diffIds.length} diff IDs for ${image.layers.length} layers`,
      );
    }
    const mediaType = image.layerMediaTypes.get(digest) ?? mediaTypes.dockerLayer;
    descriptors.push({ digest, size: location.size, mediaType });
    locations.set(digest, location);
  }
  const layers = describeLayers(descriptors, config);
  return [
    createResolvedImage(
      {
        reference,
        manifestDigest: null,
        indexDigest: null,
        platform: platformOfConfig(config),
        config,
        configDigest,
        layers,
        rootfs: null,
      },
      async (layer, options) => {
        const location = locations.get(layer.digest);
        if (location === undefined) throw new BlobNotFoundError(where, layer.digest, context);
        return openVerifiedRange(
          location,
          { digest: layer.digest, size: layer.size, what: `layer ${layer.digest}` },
          options,
          context,
        );
      },
      (layer) => locations.get(layer.digest) ?? null,
    ),
  ];
}
