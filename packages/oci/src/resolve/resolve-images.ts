import type { ErrorContext } from '@customs/errors';
import { ManifestInvalidError } from '../errors.js';
import type { Platform, PlatformSelector, ResolvedImage } from '../image-source.js';
import { describeLayers, parseImageConfig, platformOfConfig } from '../manifest/image-config.js';
import { isImageManifestMediaType, isIndexMediaType } from '../manifest/media-types.js';
import {
  parseManifest,
  type ImageIndex,
  type ImageManifest,
  type ParsedManifest,
} from '../manifest/parse-manifest.js';
import { isAttestation, selectCandidates, type Candidate } from '../manifest/select-platform.js';
import { formatPlatform } from '../platform.js';
import type { ContentStore, FetchedManifest } from './content-store.js';
import { createResolvedImage } from './resolved-image.js';

/** Indexes inside indexes are legal but rare; deeper than this is a loop or an attack, not an image. */
const MAX_INDEX_DEPTH = 4;

/** Where resolution starts: a fetched manifest or index, or an index with no digest (an OCI layout's index.json). */
export interface ResolveRoot {
  digest: string | null;
  manifest: ParsedManifest;
}

export function parseFetched(fetched: FetchedManifest, context: ErrorContext): ParsedManifest {
  return parseManifest(fetched.bytes, fetched.mediaType, `manifest ${fetched.digest}`, context);
}

async function buildImage(
  store: ContentStore,
  manifest: ImageManifest,
  at: { reference: string; manifestDigest: string; indexDigest: string | null; platform: Platform | null },
): Promise<ResolvedImage> {
  const context = { image: at.reference };
  const configBytes = await store.readBlob(manifest.config, context);
  const config = parseImageConfig(configBytes, manifest.config.digest, context);
  return createResolvedImage(
    {
      reference: at.reference,
      manifestDigest: at.manifestDigest,
      indexDigest: at.indexDigest,
      platform: at.platform ?? platformOfConfig(config),
      config,
      configDigest: manifest.config.digest,
      layers: describeLayers(manifest.layers, config),
      rootfs: null,
    },
    (layer, options) => store.openBlob(layer, options, context),
  );
}

/** Every image manifest reachable through the index and the indexes nested in it (attestations skipped). */
async function collectCandidates(
  store: ContentStore,
  index: ImageIndex,
  outerIndexDigest: string | null,
  depth: number,
  context: ErrorContext,
): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const descriptor of index.manifests) {
    if (isAttestation(descriptor)) continue;
    if (isImageManifestMediaType(descriptor.mediaType)) {
      candidates.push({ descriptor, indexDigest: outerIndexDigest });
    } else if (isIndexMediaType(descriptor.mediaType)) {
      if (depth >= MAX_INDEX_DEPTH) {
        throw new ManifestInvalidError(
          `index ${descriptor.digest}`,
          `indexes nest deeper than ${MAX_INDEX_DEPTH}`,
          context,
        );
      }
      const nested = parseFetched(await store.fetchManifest(descriptor, context), context);
      if (nested.kind === 'manifest') candidates.push({ descriptor, indexDigest: outerIndexDigest });
      else
        candidates.push(
          ...(await collectCandidates(
            store,
            nested,
            outerIndexDigest ?? descriptor.digest,
            depth + 1,
            context,
          )),
        );
    }
    // Other children (signatures, SBOM artifacts) are not images; the platform list in errors shows what was offered.
  }
  return candidates;
}

function describeChoice(reference: string, candidate: Candidate): string {
  const platform = candidate.descriptor.platform;
  return platform
    ? `${reference} (${formatPlatform(platform)})`
    : `${reference}@${candidate.descriptor.digest}`;
}

/**
 * Turns a manifest or index into the runnable images the selector asks for. A plain manifest is
 * returned whatever its platform (there is nothing to choose from; `platform` says what it is).
 * `indexDigest` is the outermost index with a digest: the one a tag points to.
 */
export async function resolveImages(
  store: ContentStore,
  root: ResolveRoot,
  selector: PlatformSelector,
  reference: string,
): Promise<ResolvedImage[]> {
  const context = { image: reference };
  if (root.manifest.kind === 'manifest') {
    if (root.digest === null)
      throw new ManifestInvalidError(reference, 'the image manifest has no digest', context);
    return [
      await buildImage(store, root.manifest, {
        reference,
        manifestDigest: root.digest,
        indexDigest: null,
        platform: null,
      }),
    ];
  }
  const candidates = await collectCandidates(store, root.manifest, root.digest, 0, context);
  const images: ResolvedImage[] = [];
  for (const candidate of selectCandidates(candidates, selector, context)) {
    const fetched = await store.fetchManifest(candidate.descriptor, context);
    const manifest = parseFetched(fetched, context);
    if (manifest.kind !== 'manifest') {
      throw new ManifestInvalidError(
        `manifest ${fetched.digest}`,
        'an index listed it as an image but it is an index',
        context,
      );
    }
    images.push(
      await buildImage(store, manifest, {
        reference: describeChoice(reference, candidate),
        manifestDigest: fetched.digest,
        indexDigest: candidate.indexDigest,
        platform: candidate.descriptor.platform ?? null,
      }),
    );
  }
  return images;
}
