import { createHash } from 'node:crypto';
import { DEFAULT_INCOMPLETE_SCAN, type Policy } from '@customs/policy';
import type { Store } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import type { Schemas } from './contract-types.js';
import { isJudged } from './combine-platforms.js';
import { computeVerdict, type Verdict } from './compute-verdict.js';
import type { DataVersion, DataVersionSource } from './data-version.js';
import { VerdictCache, type CachedVerdict } from './verdict-cache.js';

export type { Verdict };

export interface VerdictServiceOptions {
  store: Pick<Store, 'images' | 'scans'>;
  reader: VulnDbReader;
  policy: Policy;
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
  readonly policy: Schemas['PolicySummary'];
}

/**
 * Verdicts computed from the stored inventory and the current vulnerability data, cached per digest
 * for one data version and the app's policy. A cached verdict is dropped when the data version
 * changes, when an ignore entry it relied on expires, or after its time to live.
 */
export function createVerdictService(options: VerdictServiceOptions): VerdictService {
  const cache = new VerdictCache<Verdict>(options.maxEntries);
  const computing = new Map<string, Promise<CachedVerdict<Verdict>>>();
  const policy = policySummary(options.policy);

  async function compute(digest: string, data: DataVersion | null) {
    return computeVerdict(digest, { ...options, policySummary: policy, data, now: options.now() });
  }

  async function settle(digest: string, data: DataVersion | null): Promise<CachedVerdict<Verdict>> {
    const { verdict, validUntil } = await compute(digest, data);
    const settled =
      isJudged(verdict.verdict) && verdict.platforms.every((platform) => isJudged(platform.verdict));
    const entry: CachedVerdict<Verdict> = {
      value: verdict,
      json: JSON.stringify(verdict),
      dataVersion: data?.version ?? null,
      expiresAt: options.clock() + (settled ? options.judgedTtlMs : options.transientTtlMs),
      validUntil: validUntil?.getTime() ?? Infinity,
    };
    cache.set(digest, entry);
    return entry;
  }

  return {
    policy,
    async forDigest(digest) {
      const data = await options.dataVersion.current();
      const version = data?.version ?? null;
      const cached = cache.get(digest, version, options.clock(), options.now().getTime());
      if (cached) return cached;
      // Many requests for a digest nobody asked about yet (a deploy of 50 replicas) make one computation.
      const key = `${digest}\0${version}`;
      const pending = computing.get(key) ?? settle(digest, data);
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

/** The policy as verdicts name it; the id is a digest of every part of it, ignore entries included. */
export function policySummary(policy: Policy): Schemas['PolicySummary'] {
  const id = createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 16);
  return {
    id: `policy-${id}`,
    failOn: policy.failOn,
    warnOn: policy.warnOn,
    fixableOnly: policy.fixableOnly,
    incompleteScan: policy.incompleteScan ?? DEFAULT_INCOMPLETE_SCAN,
    ignoreEntries: policy.ignore.length,
  };
}
