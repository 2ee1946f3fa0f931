import { findRegistry } from '@customs/config';
import { formatImageReference, parseImageReference, type ImageReference } from '@customs/oci';
import type { ApiContext } from '../api-context.js';
import { requireDigestRepository, requireRepository } from '../auth/repository-access.js';
import { JsonText, type Handlers } from '../http/typed-operations.js';
import {
  dataVersionBody,
  emptyVerdict,
  serialise,
  type CachedVerdict,
  type Serialised,
  type Verdict,
} from '@customs/verdicts';

export function verdictHandlers(
  context: ApiContext,
): Pick<Handlers, 'getImageVerdict' | 'getReferenceVerdict'> {
  const tags = new TagMemory(context);
  // A reference's bytes are built once per cached verdict: admission webhooks ask by reference.
  const referenceBodies = new WeakMap<CachedVerdict<Verdict>, Map<string, Serialised>>();
  return {
    async getImageVerdict({ path, token }) {
      await requireDigestRepository(context.deps.store, token, path.digest);
      const cached = await context.verdicts.forDigest(path.digest);
      return { status: 200, body: new JsonText<Verdict>(cached.bytes, cached.etag) };
    },
    async getReferenceVerdict({ query, token }) {
      const reference = parseImageReference(query.ref);
      const ref = formatImageReference(reference);
      requireRepository(token, reference.repository, ref);
      const found = reference.digest ? { digest: reference.digest } : await tags.digestOf(reference);
      if ('digest' in found) {
        // A digest names the image wherever it is pushed: the repository Customs knows it by counts too.
        await requireDigestRepository(context.deps.store, token, found.digest);
        const cached = await context.verdicts.forDigest(found.digest);
        const byRef = referenceBodies.get(cached) ?? new Map<string, Serialised>();
        referenceBodies.set(cached, byRef);
        const body = byRef.get(ref) ?? serialise({ ...cached.value, ref });
        byRef.set(ref, body);
        return { status: 200, body: new JsonText<Verdict>(body.bytes, body.etag) };
      }
      return { status: 200, body: await tagNotSeen(context, ref, found.why) };
    },
  };
}

/**
 * Tag lookups, each believed for the transient verdict lifetime (100 ms by default): a re-pushed tag
 * is seen that much later, and a deploy storm asks PostgreSQL ten times a second per tag.
 */
class TagMemory {
  readonly #known = new Map<string, { found: { digest: string } | { why: string }; until: number }>();

  constructor(private readonly context: ApiContext) {}

  async digestOf(reference: ImageReference): Promise<{ digest: string } | { why: string }> {
    const key = formatImageReference(reference);
    const known = this.#known.get(key);
    if (known && known.until > this.context.clock()) return known.found;
    const found = await recordedDigest(this.context, reference);
    this.#known.delete(key);
    this.#known.set(key, { found, until: this.context.clock() + this.context.tuning.transientVerdictTtlMs });
    if (this.#known.size > this.context.tuning.verdictCacheEntries)
      this.#known.delete(this.#known.keys().next().value ?? '');
    return found;
  }
}

/** The digest the tag pointed to when Customs last saw it (push events, scan requests). */
async function recordedDigest(
  context: ApiContext,
  reference: ImageReference,
): Promise<{ digest: string } | { why: string }> {
  const registry = findRegistry(context.deps.config.registries, reference.registry);
  const tag = reference.tag ?? 'latest';
  if (registry === null)
    return { why: `registry ${reference.registry} is not configured, so Customs never sees its tags` };
  const where = { registry: registry.host, repository: reference.repository };
  const digest = await context.deps.store.images.resolveTag(where, tag);
  if (digest === null) {
    return {
      why: `Customs has not seen ${registry.host}/${reference.repository}:${tag}; request a scan with POST /v1/scans`,
    };
  }
  return { digest };
}

async function tagNotSeen(context: ApiContext, ref: string, why: string): Promise<Verdict> {
  return {
    ...emptyVerdict(null, 'unknown', { code: 'TAG_NOT_SEEN', message: why }),
    ref,
    policy: context.verdicts.policy,
    rule: null,
    vulnerabilityData: dataVersionBody(await context.dataVersion.current()),
    platforms: [],
    computedAt: context.now().toISOString(),
  };
}
