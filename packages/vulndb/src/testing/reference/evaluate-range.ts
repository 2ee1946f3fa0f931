// Reference for match-differential.test: range evaluation as shipped before the reader cached rows and
// memoised range outcomes (commit 2505a05), unchanged but for import paths. Not used by shipped code.
import type { CustomsError } from '@customs/errors';
import { isCustomsError } from '@customs/errors';
import type { ParsedVersion, VersionScheme } from '@customs/versions';
import type { OsvEvent } from '../../osv/osv-record.js';
import type { AffectedRange } from '../../ranges/affected-ranges.js';

/** One range's answer for one version. `nextFixed` is the lowest `fixed` above the version, if any. */
export type RangeOutcome =
  | { status: 'affected' | 'not-affected'; nextFixed: string | null }
  | { status: 'error'; error: CustomsError };

interface SortableEvent {
  kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  text: string;
  /** null for the two unbounded values: introduced "0" (before everything) and limit "*" (after). */
  version: ParsedVersion | null;
}

// On equal versions an introduction comes first, so `introduced: X, fixed: X` leaves X unaffected.
const KIND_ORDER = { introduced: 0, fixed: 1, last_affected: 1, limit: 2 } as const;

/**
 * The OSV schema's evaluation ("Evaluation" in docs/schema.md) for one SEMVER or ECOSYSTEM range:
 * outside every `limit` → not affected; otherwise walk the events in version order, `introduced <= v`
 * sets affected, `fixed <= v` clears it, `last_affected < v` clears it. A version of the range or the
 * installed version that the scheme cannot order makes the outcome an error, never a guess.
 */
export function evaluateRange(
  range: AffectedRange,
  scheme: VersionScheme,
  installed: ParsedVersion,
): RangeOutcome {
  try {
    return walkEvents(range, scheme, installed);
  } catch (error) {
    // A scheme may parse two versions it cannot order against each other (an apk grammar break,
    // a Composer branch against a release): the range then has no answer, never a guessed one.
    if (isCustomsError(error)) return { status: 'error', error };
    throw error;
  }
}

function walkEvents(range: AffectedRange, scheme: VersionScheme, installed: ParsedVersion): RangeOutcome {
  const events = range.events.map((event) => toSortable(event, scheme));
  events.sort((a, b) => compareEvents(a, b, scheme));
  const nextFixed = events.find(
    (event) => event.kind === 'fixed' && event.version && scheme.compare(event.version, installed) > 0,
  );
  if (!beforeLimits(events, scheme, installed))
    return { status: 'not-affected', nextFixed: nextFixed?.text ?? null };
  let affected = false;
  for (const event of events) {
    // Only introduced "0" is unbounded here (limits were handled above): every version is above it.
    const order = event.version === null ? 1 : scheme.compare(installed, event.version);
    if (event.kind === 'introduced' && order >= 0) affected = true;
    else if (event.kind === 'fixed' && order >= 0) affected = false;
    else if (event.kind === 'last_affected' && order > 0) affected = false;
  }
  return { status: affected ? 'affected' : 'not-affected', nextFixed: nextFixed?.text ?? null };
}

function toSortable(event: OsvEvent, scheme: VersionScheme): SortableEvent {
  if ('introduced' in event) {
    return {
      kind: 'introduced',
      text: event.introduced,
      version: event.introduced === '0' ? null : scheme.parse(event.introduced),
    };
  }
  if ('fixed' in event) return { kind: 'fixed', text: event.fixed, version: scheme.parse(event.fixed) };
  if ('last_affected' in event)
    return { kind: 'last_affected', text: event.last_affected, version: scheme.parse(event.last_affected) };
  return {
    kind: 'limit',
    text: event.limit,
    version: event.limit === '*' ? null : scheme.parse(event.limit),
  };
}

/** Orders events by version; the unbounded ones sit at their ends. */
function compareEvents(a: SortableEvent, b: SortableEvent, scheme: VersionScheme): number {
  const byVersion = position(a, b, scheme);
  return byVersion !== 0 ? byVersion : KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

function position(a: SortableEvent, b: SortableEvent, scheme: VersionScheme): number {
  const rankA = unboundedRank(a);
  const rankB = unboundedRank(b);
  if (rankA !== 0 || rankB !== 0) return rankA - rankB;
  return a.version && b.version ? scheme.compare(a.version, b.version) : 0;
}

/** -1 for introduced "0", +1 for limit "*", 0 for a real version. */
function unboundedRank(event: SortableEvent): number {
  if (event.version !== null) return 0;
  return event.kind === 'limit' ? 1 : -1;
}

/** True when the range has no `limit`, or the version is below at least one of them ("*" is infinity). */
function beforeLimits(
  events: readonly SortableEvent[],
  scheme: VersionScheme,
  installed: ParsedVersion,
): boolean {
  const limits = events.filter((event) => event.kind === 'limit');
  if (limits.length === 0) return true;
  return limits.some((limit) => limit.version === null || scheme.compare(installed, limit.version) < 0);
}
