import {
  asPolicySet,
  DEFAULT_INCOMPLETE_SCAN,
  type Policy,
  type PolicySet,
  type RuleRef,
} from '@customs/policy';
import type { Scan, Store, VexStore } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import type { Schemas } from './contract-types.js';
import { loadImageVex, type ImageVex } from './apply-vex.js';
import { combinePlatforms, isJudged, type PlatformVerdict } from './combine-platforms.js';
import { dataVersionBody, type DataVersion, type DataVersionSource } from './data-version.js';
import {
  judgeInventory,
  judgeWithoutInventory,
  scanSummary,
  withoutData,
  type Judged,
} from './judge-image.js';
import { serialise, VerdictCache, type CachedVerdict } from './verdict-cache.js';

export type Verdict = Schemas['Verdict'];

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

  async function compute(
    digest: string,
    data: DataVersion | null,
    set: PolicySet,
  ): Promise<{ verdict: Verdict; validUntil: Date | null }> {
    const now = options.now();
    const judged = await judgeDigest(digest, data, now, set);
    return {
      verdict: {
        ...judged.verdict,
        ref: null,
        policy: policySummary(set, judged.rule?.id),
        rule: judged.rule,
        vulnerabilityData: dataVersionBody(data),
        platforms: judged.platforms,
        computedAt: now.toISOString(),
      },
      validUntil: judged.validUntil,
    };
  }

  async function judgeDigest(digest: string, data: DataVersion | null, now: Date, set: PolicySet) {
    const children = await options.store.images.children(digest);
    const scan = await options.store.scans.latestFor(digest);
    if (children.length === 0) {
      const judged = await judgeManifest(digest, scan, data, now, set, await vexFor([digest]));
      return { ...judged, platforms: [] };
    }
    const platforms: PlatformVerdict[] = [];
    let validUntil: Date | null = null;
    let rule: RuleRef | null = null;
    for (const child of children) {
      const judged = await judgeManifest(
        child.digest,
        scan,
        data,
        now,
        set,
        await vexFor([child.digest, digest]),
      );
      platforms.push({ ...judged.verdict, platform: child.platform });
      validUntil = earliest(validUntil, judged.validUntil);
      // The platforms of an index share its repository, so one rule judges them all.
      rule ??= judged.rule;
    }
    const verdict = combinePlatforms(digest, platforms, scanSummary(scan));
    return { verdict, validUntil, platforms, rule };
  }

  /** A manifest's verdict; the children of an index are scanned by the index's scan. */
  async function judgeManifest(
    digest: string,
    scan: Scan | null,
    data: DataVersion | null,
    now: Date,
    set: PolicySet,
    vex: ImageVex,
  ): Promise<Judged> {
    const image = await options.store.images.get(digest);
    if (image === null) return { verdict: judgeWithoutInventory(digest, scan), validUntil: null, rule: null };
    if (data === null) return { verdict: withoutData(image, scan), validUntil: null, rule: null };
    return judgeInventory(image, { reader: options.reader, policy: set, now, scan, vex });
  }

  /** A manifest is known by its own digest and, in an index, by the index's: VEX may name either. */
  async function vexFor(digests: string[]): Promise<ImageVex> {
    return options.vex ? loadImageVex(options.vex, digests) : { statements: [], digests };
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

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

/**
 * The policy as verdicts name it: the id is the policy version (a digest of every rule and
 * exception); the thresholds are the named rule's (the default rule's when none is named).
 */
export function policySummary(policy: Policy | PolicySet, ruleId?: string): Schemas['PolicySummary'] {
  const set = asPolicySet(policy);
  const fallback = set.rules[set.rules.length - 1];
  const rule = set.rules.find((candidate) => candidate.id === ruleId) ?? fallback;
  if (rule === undefined) throw new Error('a policy set always has its default rule');
  return {
    id: set.version,
    file: set.file,
    failOn: rule.failOn,
    warnOn: rule.warnOn,
    fixableOnly: rule.fixableOnly,
    incompleteScan: rule.incompleteScan ?? DEFAULT_INCOMPLETE_SCAN,
    ignoreEntries: rule.ignore.length + set.exceptions.length,
  };
}
