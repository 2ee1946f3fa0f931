import type { TagResolver } from '@customs/scans';

/**
 * A tag resolver that reuses each answer for `ttlMs` and asks once for many callers: the pods of a
 * ReplicaSet are reviewed at the same moment, and each manifest request counts as a pull at Docker
 * Hub. Failures are not kept, so the next review asks again.
 */
export function cachedTagResolver(
  resolve: TagResolver,
  options: { ttlMs: number; maxEntries: number; clock(): number },
): TagResolver {
  const known = new Map<string, { digest: string; until: number }>();
  const asking = new Map<string, Promise<string>>();
  return async (registry, repository, tag) => {
    const key = `${registry.host}/${repository}:${tag}`;
    const hit = known.get(key);
    if (hit && hit.until > options.clock()) return hit.digest;
    const pending = asking.get(key) ?? resolve(registry, repository, tag);
    asking.set(key, pending);
    try {
      const digest = await pending;
      known.delete(key);
      known.set(key, { digest, until: options.clock() + options.ttlMs });
      if (known.size > options.maxEntries) known.delete(known.keys().next().value ?? '');
      return digest;
    } finally {
      asking.delete(key);
    }
  };
}
