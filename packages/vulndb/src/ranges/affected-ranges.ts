import type { OsvEvent } from '../osv/osv-record.js';

export type RangeType = 'SEMVER' | 'ECOSYSTEM' | 'GIT';

/** One OSV range as evaluation needs it. GIT ranges are kept so callers can count what was ignored. */
export interface AffectedRange {
  type: RangeType;
  events: readonly OsvEvent[];
}

/** One `affected[]` entry of a record, reduced to what decides whether a version is affected. */
export interface AffectedRanges {
  /** The entry's OSV ecosystem string as written (`Debian:12`). */
  ecosystem: string;
  ranges: readonly AffectedRange[];
  /** The explicit `versions` list. */
  versions: readonly string[];
}
