import { isValidDigest } from '../digest.js';
import { mediaTypes } from '../manifest/media-types.js';

/** A descriptor in a referrers list: the manifest of an artifact whose `subject` is the image. */
export interface ReferrerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface ReferrersIndex {
  schemaVersion: 2;
  mediaType: typeof mediaTypes.ociIndex;
  manifests: ReferrerDescriptor[];
}

export const EMPTY_REFERRERS_INDEX: ReferrersIndex = {
  schemaVersion: 2,
  mediaType: mediaTypes.ociIndex,
  manifests: [],
};

/**
 * The referrers tag of a subject digest (distribution-spec 1.1, "Referrers Tag Schema"): the algorithm
 * cut to 32 characters, `-`, the encoded part cut to 64, anything a tag may not hold replaced by `-`.
 */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon).slice(0, 32);
  const encoded = digest.slice(colon + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** The index a referrers answer or tag holds, or why it is not one. */
export function parseReferrersIndex(text: string): ReferrersIndex | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'it is not a JSON object';
  const index = parsed as { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown };
  if (index.schemaVersion !== 2) return 'its schemaVersion is not 2';
  if (index.mediaType !== undefined && index.mediaType !== mediaTypes.ociIndex)
    return `its mediaType is ${String(index.mediaType)}`;
  if (!Array.isArray(index.manifests)) return 'it has no manifests list';
  const manifests: ReferrerDescriptor[] = [];
  for (const entry of index.manifests as unknown[]) {
    const descriptor = entry as Partial<ReferrerDescriptor> | null;
    if (
      typeof descriptor?.mediaType !== 'string' ||
      typeof descriptor.digest !== 'string' ||
      !isValidDigest(descriptor.digest) ||
      typeof descriptor.size !== 'number'
    )
      return 'an entry of its manifests is not a descriptor';
    manifests.push(descriptor as ReferrerDescriptor);
  }
  return { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests };
}
