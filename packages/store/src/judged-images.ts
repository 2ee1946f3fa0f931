import type { Database } from '@customs/db';
import type { Distro, PackageType } from '@customs/inventory';

/**
 * How a package name compares with an advisory's normalised name (vulndb's packageNameKey): as
 * published, in lower case (NuGet, Packagist, crates.io), or by PEP 503 (PyPI).
 */
export type NameForm = 'exact' | 'lower' | 'pep503';

/** Packages of one type whose name (or source name) is one of `names`, compared in `form`. */
export interface PackageNames {
  type: PackageType;
  form: NameForm;
  names: readonly string[];
}

/** A stored package that may be named by a changed advisory, with what deciding that exactly needs. */
export interface CandidatePackage {
  manifestDigest: string;
  distro: Distro | null;
  type: PackageType;
  name: string;
  version: string;
  source: { name: string; version: string } | null;
}

export interface JudgedImages {
  /** Stored packages (with their manifest's distro) whose names are among `wanted`, from the package index. */
  candidates(wanted: readonly PackageNames[]): Promise<CandidatePackage[]>;
  /**
   * The digests a verdict is asked for that hold these manifests: each manifest itself unless only
   * an index holds it (a manifest with a recorded verdict counts too), and every index holding it.
   */
  verdictDigestsOf(manifestDigests: readonly string[]): Promise<string[]>;
  /** Every digest a verdict is asked for: standalone manifests, indexes, manifests with a recorded verdict. */
  allVerdictDigests(): Promise<string[]>;
}

/** SQL that puts `column` in `form`; the same rules as vulndb's packageNameKey. */
function formed(column: string, form: NameForm): string {
  if (form === 'lower') return `lower(${column})`;
  if (form === 'pep503') return `regexp_replace(lower(${column}), '[-_.]+', '-', 'g')`;
  return column;
}

interface CandidateRow {
  manifest_digest: string;
  distro: Distro | null;
  type: PackageType;
  name: string;
  version: string;
  source_name: string | null;
  source_version: string | null;
}

export function createJudgedImages(db: Database): JudgedImages {
  return {
    async candidates(wanted) {
      const found: CandidatePackage[] = [];
      for (const group of wanted) {
        if (group.names.length === 0) continue;
        // Exact names use the (type, name) and (type, source_name) indexes; other forms read the type's rows.
        const rows = await db.query<CandidateRow>(
          `select p.manifest_digest, m.distro, p.type, p.name, p.version, p.source_name, p.source_version
             from manifest_packages p join manifests m on m.digest = p.manifest_digest
            where p.type = $1
              and (${formed('p.name', group.form)} = any($2::text[])
                   or ${formed('p.source_name', group.form)} = any($2::text[]))`,
          [group.type, group.names],
        );
        for (const row of rows) found.push(toCandidate(row));
      }
      return found;
    },
    async verdictDigestsOf(manifestDigests) {
      if (manifestDigests.length === 0) return [];
      const rows = await db.query<{ digest: string }>(
        `with hit as (select unnest($1::text[]) as digest)
         select hit.digest from hit
          where not exists (select 1 from index_children c where c.manifest_digest = hit.digest)
             or exists (select 1 from verdict_records v where v.digest = hit.digest)
         union
         select c.index_digest from index_children c join hit on c.manifest_digest = hit.digest
         order by 1`,
        [manifestDigests],
      );
      return rows.map((row) => row.digest);
    },
    async allVerdictDigests() {
      const rows = await db.query<{ digest: string }>(
        `select m.digest from manifests m
          where not exists (select 1 from index_children c where c.manifest_digest = m.digest)
             or exists (select 1 from verdict_records v where v.digest = m.digest)
         union
         select index_digest from index_children
         order by 1`,
      );
      return rows.map((row) => row.digest);
    },
  };
}

function toCandidate(row: CandidateRow): CandidatePackage {
  return {
    manifestDigest: row.manifest_digest,
    distro: row.distro,
    type: row.type,
    name: row.name,
    version: row.version,
    source:
      row.source_name !== null && row.source_version !== null
        ? { name: row.source_name, version: row.source_version }
        : null,
  };
}
