import { findRegistry, type RegistryConfig } from '@customs/config';
import { describeError, isCustomsError } from '@customs/errors';
import { parseImageReference, type ImageReference } from '@customs/oci';
import type { Schemas } from '../contract/contract-types.js';

type Verdict = Schemas['Verdict'];
type Reason = Schemas['VerdictReason'];

/**
 * What admission makes of one image: judged (pass, warn, fail, with why), `error` when its scan ran and
 * is known not to be good (it failed, or could not read what it needed), or `unverified` when there is
 * no verdict to go by yet; the namespace's mode (and, for unverified only, the fail mode) decide.
 */
export type ImageOutcome =
  | { state: 'pass'; digest: string }
  | { state: 'warn' | 'fail' | 'error'; digest: string; why: string }
  | { state: 'unverified'; digest: string | null; why: string };

export interface JudgeDeps {
  registries: readonly RegistryConfig[];
  verdictOf(digest: string): Promise<Verdict>;
  /** A tag's digest now, at the configured registry (cached briefly by the caller). */
  resolveTag(registry: RegistryConfig, repository: string, tag: string): Promise<string>;
  /** Queues a scan through the scan use-case; resolves with the scan's id. */
  requestScan(target: {
    registry: string;
    repository: string;
    digest: string;
    tag: string | null;
  }): Promise<string>;
}

/** How many finding ids a reason names; the report has them all. */
const FINDINGS_NAMED = 3;

/**
 * One image reference, as a pod spec names it: to a digest (a tag is resolved at its registry, which
 * must be configured), then to the digest's verdict. An image never scanned gets a scan requested,
 * unless the review is a dry run. Never throws: every failure is an `unverified` outcome saying why.
 */
export async function judgeReference(
  deps: JudgeDeps,
  image: string,
  options: { dryRun: boolean },
): Promise<ImageOutcome> {
  let reference: ImageReference;
  try {
    reference = parseImageReference(image);
  } catch (error) {
    return { state: 'unverified', digest: null, why: describeError(error) };
  }
  const registry = findRegistry(deps.registries, reference.registry);
  let digest = reference.digest;
  if (digest === null) {
    if (registry === null) {
      return {
        state: 'unverified',
        digest: null,
        why: `registry ${reference.registry} is not configured in Customs, so its tag ${reference.tag} cannot be resolved or scanned; pin the image by digest or configure the registry`,
      };
    }
    try {
      digest = await deps.resolveTag(registry, reference.repository, reference.tag ?? 'latest');
    } catch (error) {
      const why = isCustomsError(error, 'MANIFEST_NOT_FOUND')
        ? `tag ${reference.tag} does not exist at ${registry.host}`
        : `its tag could not be resolved at ${registry.host}: ${describeError(error)}`;
      return { state: 'unverified', digest: null, why };
    }
  }
  let verdict: Verdict;
  try {
    verdict = await deps.verdictOf(digest);
  } catch (error) {
    return { state: 'unverified', digest, why: `its verdict is unavailable: ${describeError(error)}` };
  }
  const state = verdict.verdict;
  if (state === 'pass') return { state, digest };
  const why = explain(verdict.reasons);
  // Every reason: a warn or fail may come from an incomplete scan as well as from findings.
  if (state === 'warn' || state === 'fail' || state === 'error')
    return { state, digest, why: `${state}: ${why}` };
  if (!verdict.reasons.some((reason) => reason.code === 'NOT_SCANNED')) {
    return { state: 'unverified', digest, why: `${state}: ${why}` };
  }
  return {
    state: 'unverified',
    digest,
    why: await scanRequested(deps, reference, registry, digest, options),
  };
}

async function scanRequested(
  deps: JudgeDeps,
  reference: ImageReference,
  registry: RegistryConfig | null,
  digest: string,
  options: { dryRun: boolean },
): Promise<string> {
  if (registry === null) {
    return `never scanned, and registry ${reference.registry} is not configured in Customs, so it cannot be scanned`;
  }
  if (options.dryRun) return 'never scanned (a dry-run request, so no scan was requested)';
  try {
    const scanId = await deps.requestScan({
      registry: registry.host,
      repository: reference.repository,
      digest,
      tag: reference.tag,
    });
    return `not scanned yet: scan ${scanId} is requested; deploy again once it is done`;
  } catch (error) {
    return `never scanned, and requesting a scan failed: ${describeError(error)}`;
  }
}

function explain(reasons: readonly Reason[]): string {
  return reasons
    .map((reason) => {
      const platform = reason.platform === null ? '' : ` on ${reason.platform}`;
      const named = reason.findings
        .slice(0, FINDINGS_NAMED)
        .map((finding) => `${finding.id} in ${finding.package}`);
      const more = reason.count > named.length && named.length > 0 ? ', …' : '';
      return `${reason.message}${platform}${named.length > 0 ? ` (${named.join(', ')}${more})` : ''}`;
    })
    .join('; ');
}
