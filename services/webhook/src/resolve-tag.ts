import type { RegistryConfig } from '@customs/config';
import { resolveTagDigest, type RegistryClientOptions } from '@customs/oci';
import { TagResolutionError } from './errors.js';

/** What a tag points to now at a configured registry: the manifest or index digest. */
export type TagResolver = (registry: RegistryConfig, repository: string, tag: string) => Promise<string>;

/** Registry client settings a caller may tune; auth and plain HTTP come from the registry's configuration. */
export type TagResolverTuning = Pick<RegistryClientOptions, 'retry' | 'headersTimeoutMs' | 'userAgent'>;

/** A sender waits for our answer: fewer, shorter attempts than a scan makes. */
const WEBHOOK_TUNING: TagResolverTuning = {
  retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 },
  headersTimeoutMs: 10_000,
};

/**
 * Resolves `repository:tag` at a configured registry, with that registry's credentials only (a
 * manifest GET counts as a pull at Docker Hub). Any failure is a TagResolutionError naming the tag.
 */
export function createTagResolver(tuning: TagResolverTuning = WEBHOOK_TUNING): TagResolver {
  return async (registry, repository, tag) => {
    const reference = `${registry.host}/${repository}:${tag}`;
    const credentials = registry.credentials;
    try {
      return await resolveTagDigest(reference, {
        ...tuning,
        credentials: (host) => (credentials && host === registry.host ? credentials : undefined),
        insecureRegistries: registry.insecure ? [registry.host] : [],
      });
    } catch (error) {
      throw new TagResolutionError(reference, error);
    }
  };
}
