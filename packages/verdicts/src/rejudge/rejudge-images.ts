import { asPolicySet, type Policy, type PolicySet } from '@customs/policy';
import {
  loadJudgingSnapshot,
  type Store,
  type VerdictCause,
  type VerdictChange,
  type VerdictRecord,
  type VexStore,
} from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import { computeVerdict, type Verdict } from '../compute-verdict.js';
import type { DataVersionSource } from '../data-version.js';
import { policySummary } from '../policy-summary.js';

export interface RejudgeDeps {
  store: Pick<Store, 'db' | 'images' | 'scans' | 'verdictRecords'>;
  reader: VulnDbReader;
  /** Imported VEX documents, as the API applies them; absent, no statement applies. */
  vex?: Pick<VexStore, 'forDigests'>;
  /** The policy as the API judges by (its file, reloaded, or the configuration's). */
  policy: Policy | PolicySet;
  dataVersion: DataVersionSource;
  now(): Date;
  /** Called once per recorded change, after its transaction committed. */
  onVerdictChange?(change: VerdictChange): Promise<void> | void;
  /** A hook that threw: the change stays recorded, the other digests are still judged. */
  onHookError?(error: unknown, change: VerdictChange): void;
  /**
   * Digests of one call judged at once (default 4, a PostgreSQL pool's size): each judgement is a few
   * short reads, so their round trips overlap instead of adding up.
   */
  parallel?: number;
}

export interface RejudgeOutcome {
  judged: number;
  /** First verdicts of digests that had none recorded: kept to compare with, never called a change. */
  baselines: number;
  changes: VerdictChange[];
}

export interface Rejudger {
  /** Judges each digest with the data as it is now and records its verdict; changes go to the hook. */
  judge(digests: readonly string[], cause: VerdictCause): Promise<RejudgeOutcome>;
}

/** Re-judging reads only the store and the vulnerability database: no registry, no layer. */
export function createRejudger(deps: RejudgeDeps): Rejudger {
  const set = asPolicySet(deps.policy);
  const policy = policySummary(set);
  return {
    async judge(digests, cause) {
      const data = await deps.dataVersion.current();
      // The batch's inventories, index children and scans in a few queries, not a few per image.
      const store = await loadJudgingSnapshot(deps.store.db, deps.store, digests);
      const records = await mapParallel(
        digests,
        deps.parallel ?? 4,
        async (digest): Promise<VerdictRecord> => {
          const now = deps.now();
          const { verdict } = await computeVerdict(digest, { ...deps, store, policy: set, data, now });
          return {
            digest,
            policyId: policy.id,
            ...(await locationOf(store, digest, verdict)),
            verdict: verdict.verdict,
            reasons: verdict.reasons,
            dataVersion: data?.version ?? null,
            judgedAt: now,
          };
        },
      );
      // One transaction for the batch: a commit per image would cost more than judging it.
      const recorded = await deps.store.verdictRecords.recordAll(records, cause);
      const changes = recorded.flatMap(({ change }) => (change ? [change] : []));
      for (const change of changes) await notify(deps, change);
      return {
        judged: records.length,
        baselines: recorded.filter(({ previous }) => previous === null).length,
        changes,
      };
    },
  };
}

/** `work` over `items`, at most `limit` at once; results in the items' order. */
async function mapParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

async function notify(deps: RejudgeDeps, change: VerdictChange): Promise<void> {
  try {
    await deps.onVerdictChange?.(change);
  } catch (error) {
    deps.onHookError?.(error, change);
  }
}

/** Where the image lives: its inventory says for a manifest, its newest scan for an index. */
async function locationOf(
  store: Pick<Store, 'scans'>,
  digest: string,
  verdict: Verdict,
): Promise<{ registry: string | null; repository: string | null }> {
  if (verdict.inventory)
    return { registry: verdict.inventory.registry, repository: verdict.inventory.repository };
  const scan = await store.scans.latestFor(digest);
  return { registry: scan?.registry ?? null, repository: scan?.repository ?? null };
}
