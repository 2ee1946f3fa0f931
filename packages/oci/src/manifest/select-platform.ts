import type { ErrorContext } from '@customs/errors';
import { PlatformNotFoundError } from '../errors.js';
import type { PlatformSelector } from '../image-source.js';
import { formatPlatform, platformAccepts, platformsEqual } from '../platform.js';
import type { Descriptor } from './parse-manifest.js';

/** An image manifest an index offers, with the digest of the outermost index it was found through. */
export interface Candidate {
  descriptor: Descriptor;
  indexDigest: string | null;
}

/**
 * Buildx stores provenance/SBOM attestations as index children with platform unknown/unknown and
 * this annotation; they hold no runnable filesystem, so scanning them yields an empty, misleading result.
 */
export function isAttestation(descriptor: Descriptor): boolean {
  if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return descriptor.platform?.os === 'unknown' && descriptor.platform.architecture === 'unknown';
}

function availablePlatforms(candidates: readonly Candidate[]): string[] {
  const names = candidates.flatMap((c) =>
    c.descriptor.platform ? [formatPlatform(c.descriptor.platform)] : [],
  );
  return [...new Set(names)];
}

/**
 * `all`: every runnable child, once each. `one`: the child whose normalised platform equals the wanted
 * one, else one of the same os/architecture when the wanted platform names no variant (never across arm
 * variants). Nothing suitable is PLATFORM_NOT_FOUND, listing what the index does offer.
 */
export function selectCandidates(
  candidates: readonly Candidate[],
  selector: PlatformSelector,
  context: ErrorContext = {},
): Candidate[] {
  const runnable = candidates.filter((c) => !isAttestation(c.descriptor));
  if (selector.kind === 'all') {
    const seen = new Set<string>();
    const unique = runnable.filter((c) => !seen.has(c.descriptor.digest) && seen.add(c.descriptor.digest));
    if (unique.length === 0) throw new PlatformNotFoundError('(any runnable platform)', [], context);
    return unique;
  }
  const wanted = selector.platform;
  const exact = runnable.find((c) => c.descriptor.platform && platformsEqual(wanted, c.descriptor.platform));
  const chosen =
    exact ?? runnable.find((c) => c.descriptor.platform && platformAccepts(wanted, c.descriptor.platform));
  if (chosen === undefined) {
    throw new PlatformNotFoundError(formatPlatform(wanted), availablePlatforms(runnable), context);
  }
  return [chosen];
}
