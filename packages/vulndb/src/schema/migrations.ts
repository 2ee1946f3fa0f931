import { migrate, type Database, type Migration, type MigrateResult } from '@customs/db';
import { PACKAGE_ENTRIES_GROUP, PACKAGE_ENTRIES_SELECT } from './package-entries.js';

const REFRESH_ALL_PACKAGES = `insert into vulndb_packages (ecosystem_base, name_key, release_key, entries)
${PACKAGE_ENTRIES_SELECT} ${PACKAGE_ENTRIES_GROUP};`;

export const VULNDB_NAMESPACE = 'vulndb';

/**
 * Tables of the vulnerability database. SQL that PostgreSQL 15 and PGlite (PostgreSQL 18) both run.
 *
 * - vulndb_advisories: one row per OSV record, the record itself as jsonb plus the columns findings show.
 * - vulndb_affected: one row per `affected[]` entry with a package, keyed for the matcher's lookup by
 *   (ecosystem base, normalised name); the release is a separate column so one release can be asked for.
 *   Ranges are kept as compact jsonb (SEMVER and ECOSYSTEM events only) so a lookup ships no more
 *   than evaluation needs.
 * - vulndb_imports: one row per ecosystem per import run, for `db status`.
 * - vulndb_data_versions / vulndb_source_state: what `db update` and bundle imports applied (0004).
 * - vulndb_packages.revision: changes whenever an import rewrites the row (0006).
 * - vulndb_packages_generation: changes with every committed write to vulndb_packages (0007).
 */
export const VULNDB_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-advisories',
    sql: `
create table vulndb_advisories (
  id text primary key,
  modified timestamptz not null,
  published timestamptz,
  aliases text[] not null default '{}',
  related text[] not null default '{}',
  upstream text[] not null default '{}',
  summary text,
  details text,
  severity jsonb,
  severity_rating text not null,
  severity_score real,
  severity_vector text,
  severity_source text not null,
  refs jsonb,
  database_specific jsonb,
  record jsonb not null,
  source text not null,
  imported_at timestamptz not null default now()
);

create table vulndb_affected (
  advisory_id text not null references vulndb_advisories (id) on delete cascade,
  ordinal integer not null,
  ecosystem text not null,
  ecosystem_base text not null,
  ecosystem_release text,
  release_key text,
  package_name text not null,
  name_key text not null,
  purl text,
  ranges jsonb not null,
  versions jsonb not null,
  git_ranges integer not null default 0,
  severity jsonb,
  primary key (advisory_id, ordinal)
);
create index vulndb_affected_lookup on vulndb_affected (ecosystem_base, name_key);

create table vulndb_imports (
  run_id text not null,
  ecosystem text not null,
  source text not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  imported integer not null,
  updated integer not null,
  unchanged integer not null,
  removed integer not null,
  withdrawn integer not null,
  invalid integer not null,
  git_ranges_ignored integer not null,
  primary key (run_id, ecosystem)
);
create index vulndb_imports_latest on vulndb_imports (ecosystem, finished_at desc);
`,
  },
  {
    // One row per (ecosystem base, package name, release) holding every affected entry naming it as
    // JSON text, rebuilt in the same transaction as each import batch. The matcher's lookup then reads
    // one row per package and parses it once instead of thousands of joined rows (4x faster on PGlite).
    // versions_extra: the listed versions the entry's ranges do not already cover, which is all a
    // lookup needs of the list (PyPI and Debian lists are long and were a third of the bytes read).
    id: '0002-package-lookup',
    sql: `
alter table vulndb_affected add column versions_extra jsonb;
create table vulndb_packages (
  ecosystem_base text not null,
  name_key text not null,
  release_key text not null,
  entries text not null,
  primary key (ecosystem_base, name_key, release_key)
);
${REFRESH_ALL_PACKAGES}
`,
  },
  {
    // Lookup rows now carry each record's `upstream` ids (a DLA names the CVE it fixes): rebuild them.
    id: '0003-package-lookup-upstream',
    sql: `
delete from vulndb_packages;
${REFRESH_ALL_PACKAGES}
`,
  },
  {
    // Additive: the advisory tables are untouched. Each committed update (or bundle import) is one data
    // version; each upstream source keeps its cursor (OSV: newest `modified` seen in modified_id.csv),
    // the counts of its last applied run, and its last success and last error.
    id: '0004-data-versions',
    sql: `
create table vulndb_data_versions (
  version integer primary key,
  created_at timestamptz not null,
  origin text not null,
  advisories integer not null,
  changed integer not null
);
create table vulndb_source_state (
  source text primary key,
  cursor text,
  location text,
  last_success timestamptz,
  last_attempt timestamptz not null,
  last_error text,
  counts jsonb
);
`,
  },
  {
    // Additive: what the CVE List 5 record of each CVE an unrated advisory aliases says. A null rating
    // is a record that rated nothing (or was not published) when checked: asked again later.
    id: '0005-severity-sources',
    sql: `
create table vulndb_cve_severity (
  cve_id text primary key,
  origin text,
  provider text,
  rating text,
  score real,
  vector text,
  checked_at timestamptz not null
);
`,
  },
  {
    // Every lookup row gets a revision, new each time an import rewrites it (delete + insert takes the
    // sequence's next value), so a long-lived reader can keep rows parsed and ask only for the
    // revisions of what it holds (package-cache.ts). Existing rows are numbered by the column default.
    id: '0006-match-keys',
    sql: `
create sequence if not exists vulndb_packages_revision;
alter table vulndb_packages add column if not exists revision bigint not null
  default nextval('vulndb_packages_revision');
`,
  },
  {
    // One number that changes with every committed write to the lookup rows, so a long-lived reader
    // asks one row instead of every held revision (packages-generation.ts). A statement trigger
    // bumps it whoever writes; a sequence would not do, as its values are not transactional.
    id: '0007-packages-generation',
    sql: `
create table vulndb_packages_generation (
  singleton boolean primary key default true check (singleton),
  generation bigint not null
);
insert into vulndb_packages_generation (generation) values (0);
create function vulndb_packages_changed() returns trigger language plpgsql as $$
begin
  update vulndb_packages_generation set generation = generation + 1;
  return null;
end $$;
create trigger vulndb_packages_generation
  after insert or update or delete or truncate on vulndb_packages
  for each statement execute function vulndb_packages_changed();
`,
  },
];

/** Brings the vulnerability tables up to date; refuses a database a newer Customs has migrated. */
export function migrateVulnDb(db: Database): Promise<MigrateResult> {
  return migrate(db, { namespace: VULNDB_NAMESPACE, migrations: VULNDB_MIGRATIONS });
}
