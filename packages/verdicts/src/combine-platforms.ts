import { SEVERITIES, zeroSeverityCounts } from '@customs/model';
import type { Schemas } from './contract-types.js';
import type { ImageVerdict } from './judge-image.js';

type State = Schemas['VerdictState'];
export type PlatformVerdict = Schemas['PlatformVerdict'];

/** Worst first: what blocks a deploy most decides an index's verdict. */
export const VERDICT_ORDER: readonly State[] = ['fail', 'error', 'unknown', 'pending', 'warn', 'pass'];

/** Verdicts that come from judging an inventory, as opposed to having none to judge. */
export function isJudged(state: State): boolean {
  return state === 'pass' || state === 'warn' || state === 'fail';
}

/**
 * An index's verdict over its platform manifests: the worst one wins, its reasons (tagged with
 * their platform) explain it, counts add up, and every platform is listed with its own verdict.
 */
export function combinePlatforms(
  digest: string,
  platforms: readonly PlatformVerdict[],
  scan: ImageVerdict['scan'],
): ImageVerdict {
  const worst =
    VERDICT_ORDER.find((state) => platforms.some((platform) => platform.verdict === state)) ?? 'unknown';
  const counts = zeroSeverityCounts();
  for (const platform of platforms)
    for (const severity of SEVERITIES) counts[severity] += platform.counts[severity];
  return {
    digest,
    verdict: worst,
    reasons: platforms
      .filter((platform) => platform.verdict === worst)
      .flatMap((platform) => platform.reasons.map((reason) => ({ ...reason, platform: platform.platform }))),
    counts,
    ignored: platforms.flatMap((platform) => platform.ignored),
    expiredIgnores: platforms.flatMap((platform) => platform.expiredIgnores),
    vexed: platforms.flatMap((platform) => platform.vexed),
    notFixable: platforms.reduce((sum, platform) => sum + platform.notFixable, 0),
    inventory: null,
    scan,
    warnings: platforms.flatMap((platform) =>
      platform.warnings.map((warning) => `${platform.platform}: ${warning}`),
    ),
    incomplete: platforms.flatMap((platform) => platform.incomplete),
  };
}
