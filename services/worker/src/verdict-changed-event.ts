import type { VerdictChangedEvent } from '@customs/notifications';
import type { VerdictChange } from '@customs/store';

/**
 * A recorded verdict change as subscribers receive it (`verdict.changed`). The repository is the path
 * without the registry host, which is what subscription globs match; an image Customs never placed in
 * a repository matches only `**`.
 */
export function verdictChangedEvent(change: VerdictChange): VerdictChangedEvent {
  return {
    type: 'verdict.changed',
    digest: change.digest,
    repository: change.repository ?? '',
    oldVerdict: change.oldVerdict as VerdictChangedEvent['newVerdict'],
    newVerdict: change.newVerdict as VerdictChangedEvent['newVerdict'],
    reasons: change.reasons as VerdictChangedEvent['reasons'],
    dataVersion: change.dataVersion,
    policyId: change.policyId,
    at: change.changedAt,
  };
}
