import type { RegistryConfig } from '@customs/config';
import { isCustomsError } from '@customs/errors';
import { resolveTagDigest } from '@customs/oci';
import { TagResolutionError } from './errors.js';
import { CALLER_WAITS_TUNING, registryClientOptions, type RegistryClientTuning } from './registry-client.js';

/** What a tag points to now at a configured registry: the manifest or index digest. */
export type TagResolver = (registry: RegistryConfig, repository: string, tag: string) => Promise<string>;

/**
 * Resolves `repository:tag` at a configured registry, with that registry's credentials only (a manifest
 * GET counts as a pull at Docker Hub). A tag the registry does not have is MANIFEST_NOT_FOUND; any
 * other failure is TAG_RESOLUTION_FAILED naming the tag.
 */
export function createTagResolver(tuning: RegistryClientTuning = CALLER_WAITS_TUNING): TagResolver {
  return async (registry, repository, tag) => {
    const reference = `${registry.host}/${repository}:${tag}`;
    try {
      return await resolveTagDigest(reference, registryClientOptions(registry, tuning));
    } catch (error) {
      if (isCustomsError(error, 'MANIFEST_NOT_FOUND')) throw error;
      throw new TagResolutionError(reference, error);
    }
  };
}
