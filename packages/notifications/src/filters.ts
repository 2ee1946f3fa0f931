import { severityRank, type Severity } from '@customs/model';
import { SubscriptionInvalidError } from './errors.js';
import type { EventType, NotificationEvent } from './events.js';

/** What a subscription is told about. */
export interface SubscriptionFilter {
  eventTypes: readonly EventType[];
  repositoryGlob: string;
  minSeverity: Severity | null;
}

const GLOB_CHARACTERS = /^[A-Za-z0-9/._*-]+$/;

/**
 * A repository glob as a regular expression: `**` matches across path segments, `*` within one.
 * Only repository-name characters and `*` are allowed, so nothing else needs escaping but `.`.
 */
export function compileGlob(glob: string): RegExp {
  if (!GLOB_CHARACTERS.test(glob)) {
    throw new SubscriptionInvalidError(`glob ${JSON.stringify(glob)}`, 'only letters, digits, / . _ - and *');
  }
  const pattern = glob
    .split('**')
    .map((part) => part.replaceAll('.', '\\.').replaceAll('*', '[^/]*'))
    .join('.*');
  return new RegExp(`^${pattern}$`);
}

/** Whether `subscription` wants `event`: its type, its repository, and (verdicts only) its severity. */
export function matches(subscription: SubscriptionFilter, event: NotificationEvent): boolean {
  if (!subscription.eventTypes.includes(event.type)) return false;
  if (!compileGlob(subscription.repositoryGlob).test(event.repository)) return false;
  if (subscription.minSeverity === null || event.type !== 'verdict.changed') return true;
  const worst = worstSeverity(event.reasons);
  return worst !== null && severityRank(worst) <= severityRank(subscription.minSeverity);
}

/** The worst severity any reason counts findings of; null when no reason counts any. */
export function worstSeverity(
  reasons: ReadonlyArray<{ severity: Severity | null; count: number }>,
): Severity | null {
  let worst: Severity | null = null;
  for (const reason of reasons) {
    if (reason.severity === null || reason.count === 0) continue;
    if (worst === null || severityRank(reason.severity) < severityRank(worst)) worst = reason.severity;
  }
  return worst;
}
