import type { PolicySet, RuleRef } from '@customs/policy';
import type { Scan, Store, VexStore } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import { loadImageVex, type ImageVex } from './apply-vex.js';
import type { Schemas } from './contract-types.js';
import { combinePlatforms, type PlatformVerdict } from './combine-platforms.js';
import { dataVersionBody, type DataVersion } from './data-version.js';
import {
  judgeInventory,
  judgeWithoutInventory,
  scanSummary,
  withoutData,
  type Judged,
} from './judge-image.js';
import { policySummary } from './policy-summary.js';

export type Verdict = Schemas['Verdict'];

export interface VerdictContext {
  store: Pick<Store, 'images' | 'scans'>;
  /** Imported VEX documents; absent, no statement applies. */
  vex?: Pick<VexStore, 'forDigests'>;
  reader: VulnDbReader;
  policy: PolicySet;
  data: DataVersion | null;
  now: Date;
}

/**
 * A digest's verdict from its stored inventory (an index: from each platform manifest's), the
 * vulnerability data as it is now and the policy rule for its repository. Reads only the store and
 * the vulnerability database: no registry is asked for anything. The API and re-judging share it.
 */
export async function computeVerdict(
  digest: string,
  context: VerdictContext,
): Promise<{ verdict: Verdict; validUntil: Date | null }> {
  const judged = await judgeDigest(digest, context);
  return {
    verdict: {
      ...judged.verdict,
      ref: null,
      policy: policySummary(context.policy, judged.rule?.id),
      rule: judged.rule,
      vulnerabilityData: dataVersionBody(context.data),
      platforms: judged.platforms,
      computedAt: context.now.toISOString(),
    },
    validUntil: judged.validUntil,
  };
}

async function judgeDigest(digest: string, context: VerdictContext) {
  const children = await context.store.images.children(digest);
  const scan = await context.store.scans.latestFor(digest);
  if (children.length === 0) {
    const judged = await judgeManifest(digest, scan, context, await vexFor(context, [digest]));
    return { ...judged, platforms: [] };
  }
  const platforms: PlatformVerdict[] = [];
  let validUntil: Date | null = null;
  let rule: RuleRef | null = null;
  for (const child of children) {
    const vex = await vexFor(context, [child.digest, digest]);
    const judged = await judgeManifest(child.digest, scan, context, vex);
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
  context: VerdictContext,
  vex: ImageVex,
): Promise<Judged> {
  const image = await context.store.images.get(digest);
  if (image === null) return { verdict: judgeWithoutInventory(digest, scan), validUntil: null, rule: null };
  if (context.data === null) return { verdict: withoutData(image, scan), validUntil: null, rule: null };
  const { reader, policy, now } = context;
  return judgeInventory(image, { reader, policy, now, scan, vex });
}

/** A manifest is known by its own digest and, in an index, by the index's: VEX may name either. */
async function vexFor(context: VerdictContext, digests: string[]): Promise<ImageVex> {
  return context.vex ? loadImageVex(context.vex, digests) : { statements: [], digests };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
