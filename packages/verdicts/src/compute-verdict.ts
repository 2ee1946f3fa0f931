import type { Policy } from '@customs/policy';
import type { Scan, Store } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
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

export type Verdict = Schemas['Verdict'];

export interface VerdictContext {
  store: Pick<Store, 'images' | 'scans'>;
  reader: VulnDbReader;
  policy: Policy;
  /** The policy as verdicts name it (policySummary). */
  policySummary: Schemas['PolicySummary'];
  data: DataVersion | null;
  now: Date;
}

/**
 * A digest's verdict from its stored inventory (an index: from each platform manifest's) and the
 * vulnerability data as it is now. Reads only the store: no registry is asked for anything.
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
      policy: context.policySummary,
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
    const judged = await judgeManifest(digest, scan, context);
    return { ...judged, platforms: [] };
  }
  const platforms: PlatformVerdict[] = [];
  let validUntil: Date | null = null;
  for (const child of children) {
    const judged = await judgeManifest(child.digest, scan, context);
    platforms.push({ ...judged.verdict, platform: child.platform });
    validUntil = earliest(validUntil, judged.validUntil);
  }
  return { verdict: combinePlatforms(digest, platforms, scanSummary(scan)), validUntil, platforms };
}

/** A manifest's verdict; the children of an index are scanned by the index's scan. */
async function judgeManifest(digest: string, scan: Scan | null, context: VerdictContext): Promise<Judged> {
  const image = await context.store.images.get(digest);
  if (image === null) return { verdict: judgeWithoutInventory(digest, scan), validUntil: null };
  if (context.data === null) return { verdict: withoutData(image, scan), validUntil: null };
  return judgeInventory(image, { reader: context.reader, policy: context.policy, now: context.now, scan });
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
