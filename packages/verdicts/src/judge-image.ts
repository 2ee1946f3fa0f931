import { matchInventory } from '@customs/matcher';
import { zeroSeverityCounts } from '@customs/model';
import { evaluatePolicy, judgeSecrets, worseVerdict, type Policy } from '@customs/policy';
import type { Scan, StoredImage } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import type { Schemas } from './contract-types.js';

export type ImageVerdict = Schemas['ImageVerdict'];
type Reason = Schemas['VerdictReason'];

/** A verdict and how long it stays right without any other change (an ignore entry expiring). */
export interface Judged {
  verdict: ImageVerdict;
  validUntil: Date | null;
}

/** An inventory stored before Customs recorded what a scan could not read may lack packages unseen. */
const UNKNOWN_COMPLETENESS =
  'this inventory was taken before Customs recorded files it could not read (a package database skipped for size); scan the image again to know it is complete';

/**
 * A stored inventory matched against the vulnerability data as it is now, then judged by the
 * policy. Matching happens here, not at scan time, which is what keeps verdicts fresh.
 */
export async function judgeInventory(
  image: StoredImage,
  context: { reader: VulnDbReader; policy: Policy; now: Date; scan: Scan | null },
): Promise<Judged> {
  const match = await matchInventory({ distro: image.distro, packages: image.packages }, context.reader);
  const incomplete = image.incomplete ?? [];
  const result = evaluatePolicy(match.findings, context.policy, { now: context.now, incomplete });
  const secrets = judgeSecrets(image.secrets?.findings ?? [], context.policy.secrets);
  const unjudged = match.unmatched.length;
  return {
    verdict: {
      digest: image.digest,
      verdict: secrets ? worseVerdict(result.verdict, secrets.verdict) : result.verdict,
      reasons: [
        ...result.reasons.map((reason) => ({ ...reason, platform: null })),
        ...(secrets ? [{ ...secrets.reason, findings: [], platform: null }] : []),
      ],
      counts: result.counts,
      ignored: result.ignored,
      expiredIgnores: result.expiredIgnores,
      notFixable: result.notFixable,
      inventory: inventoryInfo(image),
      scan: scanSummary(context.scan),
      warnings: [
        ...(image.incomplete === null ? [UNKNOWN_COMPLETENESS] : []),
        ...image.warnings,
        ...match.warnings,
        ...(unjudged > 0
          ? [`${unjudged} package${unjudged === 1 ? '' : 's'} could not be judged (see the report)`]
          : []),
      ],
      incomplete,
    },
    validUntil: result.validUntil,
  };
}

/** An image with an inventory, but no vulnerability data to judge it by: never a pass. */
export function withoutData(image: StoredImage, scan: Scan | null): ImageVerdict {
  return {
    ...emptyVerdict(image.digest, 'unknown', {
      code: 'NO_VULNERABILITY_DATA',
      message: 'no vulnerability data was ever imported, so no image can pass; run `customs db import`',
    }),
    inventory: inventoryInfo(image),
    scan: scanSummary(scan),
  };
}

/** A digest without an inventory: what its newest scan says about it. */
export function judgeWithoutInventory(digest: string, scan: Scan | null): ImageVerdict {
  if (scan === null) {
    return emptyVerdict(digest, 'unknown', {
      code: 'NOT_SCANNED',
      message: `Customs has never scanned ${digest}; request a scan with POST /v1/scans`,
    });
  }
  const summary = scanSummary(scan);
  if (scan.status === 'queued' || scan.status === 'running') {
    const retrying = scan.error
      ? `; the last attempt failed with ${scan.error.code}: ${scan.error.message}`
      : '';
    const reason = {
      code: 'SCAN_PENDING' as const,
      message: `scan ${scan.id} is ${scan.status} since ${scan.createdAt.toISOString()}${retrying}`,
    };
    return { ...emptyVerdict(digest, 'pending', reason), scan: summary };
  }
  if (scan.status === 'failed') {
    const why = scan.error ? `${scan.error.code}: ${scan.error.message}` : 'no error was recorded';
    const reason = { code: 'SCAN_FAILED' as const, message: `scan ${scan.id} failed: ${why}` };
    return { ...emptyVerdict(digest, 'error', reason), scan: summary };
  }
  const reason = {
    code: 'NOT_SCANNED' as const,
    message: `scan ${scan.id} finished but stored no inventory for ${digest}; request a scan again`,
  };
  return { ...emptyVerdict(digest, 'unknown', reason), scan: summary };
}

export function emptyVerdict(
  digest: string | null,
  verdict: ImageVerdict['verdict'],
  reason: Pick<Reason, 'code' | 'message'>,
): ImageVerdict {
  return {
    digest,
    verdict,
    reasons: [{ ...reason, severity: null, count: 0, findings: [], platform: null }],
    counts: zeroSeverityCounts(),
    ignored: [],
    expiredIgnores: [],
    notFixable: 0,
    inventory: null,
    scan: null,
    warnings: [],
    incomplete: [],
  };
}

export function scanSummary(scan: Scan | null): Schemas['ScanSummary'] | null {
  if (scan === null) return null;
  return {
    id: scan.id,
    status: scan.status,
    error: scan.error,
    createdAt: scan.createdAt.toISOString(),
    finishedAt: scan.finishedAt?.toISOString() ?? null,
  };
}

function inventoryInfo(image: StoredImage): Schemas['InventoryInfo'] {
  return {
    indexedAt: image.indexedAt.toISOString(),
    registry: image.registry,
    repository: image.repository,
    platform: image.platform,
    packages: image.packages.length,
  };
}
