import { matchInventory } from '@customs/matcher';
import { zeroSeverityCounts, type ImageFinding } from '@customs/model';
import {
  asPolicySet,
  evaluateImage,
  judgeSecrets,
  worseVerdict,
  selectRule,
  type Policy,
  type PolicySet,
  type RuleRef,
} from '@customs/policy';
import { imageFindingsOfConfig, imageFindingsOfSecrets, judgeConfig } from './judge-config.js';
import { checkImageConfig } from '@customs/imageconfig';
import type { Scan, StoredImage } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import { applyVex, type ImageVex } from './apply-vex.js';
import { criticalPublishedAt } from './advisory-ages.js';
import type { Schemas } from './contract-types.js';

export type ImageVerdict = Schemas['ImageVerdict'];
type Reason = Schemas['VerdictReason'];

/** A verdict, the policy rule that decided it, and how long it stays right (an ignore entry expiring). */
export interface Judged {
  verdict: ImageVerdict;
  validUntil: Date | null;
  rule: RuleRef | null;
}

/**
 * An inventory stored before Customs recorded what a scan could not read may lack packages unseen:
 * judged like an incomplete scan (policy.incompleteScan), never a pass.
 */
const UNKNOWN_COMPLETENESS = {
  layer: null,
  path: null,
  code: 'COMPLETENESS_UNKNOWN' as const,
  reason:
    'this inventory was taken before Customs recorded files it could not read (a package database skipped for size); scan the image again to know it is complete',
};

/**
 * A stored inventory matched against the vulnerability data as it is now, then judged by the
 * policy. Matching happens here, not at scan time, which is what keeps verdicts fresh.
 */
export async function judgeInventory(
  image: StoredImage,
  context: {
    reader: VulnDbReader;
    policy: Policy | PolicySet;
    now: Date;
    scan: Scan | null;
    /** What the image-config and secret scanners found, when they ran. */
    imageFindings?: readonly ImageFinding[];
    vex?: ImageVex;
  },
): Promise<Judged> {
  const match = await matchInventory({ distro: image.distro, packages: image.packages }, context.reader);
  const incomplete = image.incomplete ?? [UNKNOWN_COMPLETENESS];
  // VEX first: findings a statement marks not_affected or fixed are shown, never counted.
  const vex = applyVex(match.findings, context.vex ?? { statements: [], digests: [image.digest] });
  const policy = asPolicySet(context.policy);
  const rule = selectRule(policy, image.repository);
  const publishedAt =
    rule.maxCriticalAgeDays !== undefined
      ? await criticalPublishedAt(vex.counted, context.reader)
      : undefined;
  const configFindings = image.imageConfig === null ? null : checkImageConfig(image.imageConfig);
  const layerSecrets = image.secrets?.findings ?? null;
  const imageFindings = [
    ...(context.imageFindings ?? []),
    ...imageFindingsOfConfig(configFindings ?? []),
    ...imageFindingsOfSecrets(layerSecrets ?? []),
  ];
  // Neither the config nor the layers were checked: denyRunAsRoot and denySecrets cannot call it clean.
  const checked = configFindings !== null || layerSecrets !== null || context.imageFindings !== undefined;
  const facts = {
    repository: image.repository,
    labels: image.labels,
    ...(checked && { imageFindings }),
    // Its own completeness record: a stored config makes the image checked for denyRunAsRoot, but
    // only stored secret results (every layer, by the indexer's scanner) make its layers clean.
    layerSecretsScanned: layerSecrets !== null,
    ...(publishedAt && { publishedAt }),
  };
  const result = evaluateImage(policy, vex.counted, facts, { now: context.now, incomplete });
  const config = judgeConfig(configFindings, rule, result);
  const secrets = judgeSecrets(layerSecrets ?? [], rule.secrets);
  const unjudged = match.unmatched.length;
  return {
    verdict: {
      digest: image.digest,
      verdict: secrets ? worseVerdict(config.verdict, secrets.verdict) : config.verdict,
      reasons: [
        ...config.reasons,
        ...(secrets ? [{ ...secrets.reason, findings: [] }] : []),
        ...vex.reasons,
      ].map((reason) => ({ ...reason, platform: null })),
      counts: result.counts,
      ignored: result.ignored,
      expiredIgnores: result.expiredIgnores,
      vexed: vex.vexed,
      notFixable: result.notFixable,
      inventory: inventoryInfo(image),
      scan: scanSummary(context.scan),
      warnings: [
        ...image.warnings,
        ...match.warnings,
        ...vex.warnings,
        ...(unjudged > 0
          ? [`${unjudged} package${unjudged === 1 ? '' : 's'} could not be judged (see the report)`]
          : []),
      ],
      incomplete,
      ...(config.findings && { configFindings: config.findings }),
    },
    validUntil: result.validUntil,
    rule: result.rule,
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
    vexed: [],
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
