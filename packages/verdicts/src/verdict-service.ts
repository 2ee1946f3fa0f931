import { asPolicySet, type Policy, type PolicySet } from '@customs/policy';
import type { Store, VexStore } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import type { Schemas } from './contract-types.js';
import { isJudged } from './combine-platforms.js';
import { computeVerdict, type Verdict } from './compute-verdict.js';
import type { DataVersion, DataVersionSource } from './data-version.js';
import { policySummary } from './policy-summary.js';
import { serialise, VerdictCache, type CachedVerdict } from './verdict-cache.js';

export type { Verdict };

export interface VerdictServiceOptions {
  store: Pick<Store, 'images' | 'scans'>;
  /** Imported VEX documents; absent, no statement applies. */
  vex?: Pick<VexStore, 'forDigests'>;
  reader: VulnDbReader;
  /** The configuration's policy: the only rule when there is no policy file. */
  policy: Policy;
  /** The policy set in force (a policy file, reloaded); absent: `policy` alone. */
  policies?: { current(): PolicySet };
  dataVersion: DataVersionSource;
  /** Wall clock: ignore entries expire by it. */
  now(): Date;
  /** Monotonic milliseconds: cache lifetimes. */
  clock(): number;
  /** How long a pass/warn/fail verdict is reused (bounds how late a re-indexed inventory shows). */
  judgedTtlMs: number;
  /** How long a pending/unknown/error verdict is reused (bounds how late a finished scan shows). */
  transientTtlMs: number;
  maxEntries: number;
}

export interface VerdictService {
  /** The verdict for a digest, from memory when it is still right. */
  forDigest(digest: string): Promise<CachedVerdict<Verdict>>;
  /** Drops a digest's verdict (a scan was just requested for it). */
  forget(digest: string): void;
  /** The policy in force now, as a verdict without a judged image names it. */
  readonly policy: Schemas['PolicySummary'];
}

/**
 * Verdicts computed from the stored inventory and the current vulnerability data, cached per digest
 * for one data version and one policy version. A cached verdict is dropped when either changes,
 * when an ignore entry it relied on expires, or after its time to live.
 */
export function createVerdictService(options: VerdictServiceOptions): VerdictService {
  const cache = new VerdictCache<Verdict>(options.maxEntries);
  const computing = new Map<string, Promise<CachedVerdict<Verdict>>>();
  const fixed = asPolicySet(options.policy);
  const policies = () => options.policies?.current() ?? fixed;

  async function compute(digest: string, data: DataVersion | null, set: PolicySet) {
    return computeVerdict(digest, { ...options, policy: set, data, now: options.now() });
  }

  async function settle(
    digest: string,
    data: DataVersion | null,
    set: PolicySet,
  ): Promise<CachedVerdict<Verdict>> {
    const { verdict, validUntil } = await compute(digest, data, set);
    const settled =
      isJudged(verdict.verdict) && verdict.platforms.every((platform) => isJudged(platform.verdict));
    const entry: CachedVerdict<Verdict> = {
      value: verdict,
      ...serialise(verdict),
      dataVersion: data?.version ?? null,
      policyVersion: set.version,
      expiresAt: options.clock() + (settled ? options.judgedTtlMs : options.transientTtlMs),
      validUntil: validUntil?.getTime() ?? Infinity,
    };
    cache.set(digest, entry);
    return entry;
  }

  return {
    get policy() {
      return policySummary(policies());
    },
    async forDigest(digest) {
      const data = await options.dataVersion.current();
      const set = policies();
      const versions = { data: data?.version ?? null, policy: set.version };
      const cached = cache.get(digest, versions, options.clock(), options.now().getTime());
      if (cached) return cached;
      // Many requests for a digest nobody asked about yet (a deploy of 50 replicas) make one computation.
      const key = `${digest}\0${versions.data}\0${versions.policy}`;
      const pending = computing.get(key) ?? settle(digest, data, set);
      computing.set(key, pending);
      try {
        return await pending;
      } finally {
        computing.delete(key);
      }
    },
    forget: (digest) => cache.forget(digest),
  };
}
