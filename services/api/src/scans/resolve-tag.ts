import { isCustomsError } from '@customs/errors';
import { resolveTagDigest } from '@customs/oci';
import type { TagResolver } from '../api-context.js';
import { TagResolutionError } from '../errors.js';

/** A caller waits: fewer, shorter attempts than a scan makes. */
const TUNING = { retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 }, headersTimeoutMs: 10_000 };

/**
 * What `repository:tag` points to now at a configured registry, with that registry's credentials
 * only. A tag the registry does not have is MANIFEST_NOT_FOUND; any other failure TAG_RESOLUTION_FAILED.
 */
export const resolveTagAtRegistry: TagResolver = async (registry, repository, tag) => {
  const reference = `${registry.host}/${repository}:${tag}`;
  const credentials = registry.credentials;
  try {
    return await resolveTagDigest(reference, {
      ...TUNING,
      credentials: (host) => (credentials && host === registry.host ? credentials : undefined),
      insecureRegistries: registry.insecure ? [registry.host] : [],
    });
  } catch (error) {
    if (isCustomsError(error, 'MANIFEST_NOT_FOUND')) throw error;
    throw new TagResolutionError(reference, error);
  }
};
