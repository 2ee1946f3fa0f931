import type { Finding } from '@customs/model';
import { InvalidPolicyError } from './errors.js';
import type { IgnoreEntry } from './policy.js';

/** An ignore entry with its expiry read once. */
export interface ActiveIgnore {
  entry: IgnoreEntry;
  /** The first instant at which the entry no longer applies. */
  endsAt: Date;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600 * 1000;

/**
 * When an entry stops applying. A bare date means "through that day" (UTC), as people write
 * allowlists; a date-time is taken literally. Harbor once ignored the expiry altogether
 * (goharbor/harbor#18078): an unreadable one is an error here, never "forever".
 */
export function ignoreEndsAt(entry: IgnoreEntry): Date {
  const endsAt = DATE_ONLY.test(entry.expires) ? endOfDay(entry.expires) : new Date(entry.expires);
  if (endsAt === null || Number.isNaN(endsAt.getTime())) {
    throw new InvalidPolicyError(
      `ignore entry ${entry.id} expires on "${entry.expires}", which is not a date`,
      'write the expiry as YYYY-MM-DD or an ISO 8601 date-time',
    );
  }
  return endsAt;
}

/** The instant after `YYYY-MM-DD` (UTC); null for a day that does not exist (2025-02-30). */
function endOfDay(text: string): Date | null {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(year, month - 1, day));
  const exists =
    start.getUTCFullYear() === year && start.getUTCMonth() === month - 1 && start.getUTCDate() === day;
  return exists ? new Date(start.getTime() + DAY_MS) : null;
}

/** Every entry with its end, read up front so a bad expiry fails the whole evaluation. */
export function readIgnores(entries: readonly IgnoreEntry[]): ActiveIgnore[] {
  return entries.map((entry) => ({ entry, endsAt: ignoreEndsAt(entry) }));
}

/** Whether the entry names this finding: by its id or any alias, and by package when it names one. */
export function ignoreMatches(
  entry: IgnoreEntry,
  finding: Pick<Finding, 'id' | 'aliases' | 'package'>,
): boolean {
  if (entry.package !== undefined && entry.package !== finding.package.name) return false;
  const wanted = entry.id.toUpperCase();
  return (
    finding.id.toUpperCase() === wanted || finding.aliases.some((alias) => alias.toUpperCase() === wanted)
  );
}
