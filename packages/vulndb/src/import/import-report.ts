import type { RecordOutcome } from './write-batch.js';

export interface EcosystemCounts {
  /** Ecosystem base (`Debian`, `PyPI`); a record naming several is counted under each. */
  ecosystem: string;
  imported: number;
  updated: number;
  unchanged: number;
  /** Withdrawn records that deleted a stored one. */
  removed: number;
  /** Withdrawn records with nothing stored to delete. */
  withdrawn: number;
  invalid: number;
  /** GIT ranges left out: matching them needs the repository's commit graph. */
  gitRangesIgnored: number;
}

export interface InvalidRecord {
  /** The record's id, or `?` when it has none. */
  id: string;
  file: string;
  problem: string;
}

export interface ImportReport {
  source: string;
  startedAt: Date;
  finishedAt: Date;
  /** Sorted by ecosystem. */
  ecosystems: EcosystemCounts[];
  /** Every record counted once. */
  totals: Omit<EcosystemCounts, 'ecosystem'>;
  invalid: InvalidRecord[];
  /** Files that are neither OSV records nor secdb, and secdb entries left out, with why. */
  skipped: Array<{ file: string; problem: string }>;
}

/** An import's report and what it changed, as the import itself knows it. */
export interface ImportResult extends ImportReport {
  /** The packages whose advisories this import added, replaced or removed: what verdicts may have changed for. */
  changedPackages: ChangedPackage[];
}

/** A package as the lookups key it (see packageNameKey, releaseKey). */
export interface ChangedPackage {
  /** Ecosystem base: `Debian`, `npm`. */
  ecosystem: string;
  /** Release key (`12`, `v3.19`); null for ecosystems without releases. */
  release: string | null;
  /** Normalised name (packageNameKey); a distro's source package name. */
  name: string;
}

export interface ImportProgress {
  /** Files read so far (zip members and objects count one each). */
  files: number;
  /** Records written or found unchanged so far. */
  records: number;
  current: string;
}

type CountKey = RecordOutcome | 'invalid';

/** Counts per ecosystem and in total, as import goes. */
export class ImportTally {
  private readonly byEcosystem = new Map<string, EcosystemCounts>();
  readonly totals: Omit<EcosystemCounts, 'ecosystem'> = emptyCounts();

  add(ecosystems: readonly string[], key: CountKey, gitRanges = 0): void {
    for (const ecosystem of ecosystems) {
      const counts = this.countsOf(ecosystem);
      counts[key] += 1;
      counts.gitRangesIgnored += gitRanges;
    }
    this.totals[key] += 1;
    this.totals.gitRangesIgnored += gitRanges;
  }

  ecosystems(): EcosystemCounts[] {
    return [...this.byEcosystem.values()].sort((a, b) =>
      a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : 0,
    );
  }

  private countsOf(ecosystem: string): EcosystemCounts {
    let counts = this.byEcosystem.get(ecosystem);
    if (!counts) {
      counts = { ecosystem, ...emptyCounts() };
      this.byEcosystem.set(ecosystem, counts);
    }
    return counts;
  }
}

function emptyCounts(): Omit<EcosystemCounts, 'ecosystem'> {
  return { imported: 0, updated: 0, unchanged: 0, removed: 0, withdrawn: 0, invalid: 0, gitRangesIgnored: 0 };
}

/** Records whose import changed the database: new, replaced or removed. */
export function changedCount(counts: Omit<EcosystemCounts, 'ecosystem'>): number {
  return counts.imported + counts.updated + counts.removed;
}
