import { migrate, type Database, type Migration } from '@customs/db';

export const STORE_NAMESPACE = 'store';

/** Plain SQL both PostgreSQL 15 and PGlite (PostgreSQL 18) run. Never edit a released migration: add one. */
export const STORE_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-layers',
    sql: `
create table layer_facts (
  digest text primary key,
  diff_id text,
  whiteouts jsonb not null,
  opaque_dirs jsonb not null,
  warnings jsonb not null,
  analysed_at timestamptz not null default now()
);
-- one row per (layer, analyzer version): a new analyzer version misses only its own rows
create table layer_outputs (
  layer_digest text not null references layer_facts (digest) on delete cascade,
  analyzer text not null,
  version integer not null,
  output jsonb not null,
  analysed_at timestamptz not null default now(),
  primary key (layer_digest, analyzer, version)
);
-- who is downloading a layer right now; a lease that is not renewed (a killed worker) expires
create table layer_leases (
  layer_digest text primary key,
  holder text not null,
  expires_at timestamptz not null
);`,
  },
  {
    id: '0002-images',
    sql: `
create table manifests (
  digest text primary key,
  registry text not null,
  repository text not null,
  platform text,
  config_digest text,
  distro jsonb,
  layers jsonb not null,
  analyzers text[] not null,
  warnings jsonb not null,
  indexed_at timestamptz not null default now()
);
create table manifest_packages (
  manifest_digest text not null references manifests (digest) on delete cascade,
  ordinal integer not null,
  type text not null,
  name text not null,
  version text not null,
  purl text not null,
  source_name text,
  source_version text,
  owned_by text,
  path text not null,
  layer text not null,
  licenses jsonb,
  primary key (manifest_digest, ordinal)
);
-- "which images contain openssl 3.0.11?" is one indexed query
create index manifest_packages_by_package on manifest_packages (type, name, version);
create index manifest_packages_by_source on manifest_packages (type, source_name, source_version);
create table index_children (
  index_digest text not null,
  manifest_digest text not null,
  platform text not null,
  primary key (index_digest, manifest_digest)
);
create table image_refs (
  registry text not null,
  repository text not null,
  tag text not null,
  digest text not null,
  updated_at timestamptz not null default now(),
  primary key (registry, repository, tag)
);
create index image_refs_by_digest on image_refs (digest);`,
  },
  {
    id: '0003-scans-and-deliveries',
    sql: `
create table scans (
  id uuid primary key,
  digest text not null,
  registry text not null,
  repository text not null,
  tag text,
  trigger text not null,
  status text not null,
  error jsonb,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index scans_by_digest on scans (digest, created_at desc);
create index scans_by_status on scans (status, created_at);
create table webhook_deliveries (
  id bigserial primary key,
  source text not null,
  delivery_id text,
  received_at timestamptz not null default now(),
  outcome text not null,
  reason text,
  registry text,
  repository text,
  digest text,
  tag text,
  scan_id uuid,
  payload jsonb
);
create unique index webhook_deliveries_once on webhook_deliveries (source, delivery_id);
create index webhook_deliveries_by_time on webhook_deliveries (received_at desc);
create table dead_letters (
  id bigserial primary key,
  queue text not null,
  job_id text not null,
  payload jsonb not null,
  error text not null,
  attempts integer not null,
  failed_at timestamptz not null default now()
);`,
  },
  {
    id: '0004-tokens-and-artifacts',
    sql: `
create table api_tokens (
  id uuid primary key,
  name text not null,
  token_hash text not null unique,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create table artifacts (
  manifest_digest text not null,
  kind text not null,
  storage text not null,
  location text,
  body jsonb,
  bytes integer not null,
  created_at timestamptz not null default now(),
  primary key (manifest_digest, kind)
);`,
  },
  {
    id: '0005-scan-stats',
    sql: `
-- per-scan layer cache figures, so any process (the API's /metrics) can report the hit ratio
alter table scans add column layers_cached integer;
alter table scans add column layers_fetched integer;`,
  },
  {
    id: '0006-incomplete-inventories',
    sql: `
-- what the scan needed but could not read (IncompleteRecord[]); null: indexed before Customs kept these
alter table manifests add column incomplete jsonb;`,
  },
  {
    id: '0007-scan-requesters',
    sql: `
-- the API tokens that asked for a scan (asking for an already open scan counts): a token that may only
-- request scans reads these scans and no others
create table scan_requesters (
  scan_id uuid not null references scans (id) on delete cascade,
  token_id uuid not null,
  requested_at timestamptz not null default now(),
  primary key (scan_id, token_id)
);`,
  },
  {
    id: '0008-verdict-records',
    sql: `
-- the last verdict per (image digest, policy): what a re-judging after a data update compares with
create table verdict_records (
  digest text not null,
  policy_id text not null,
  registry text,
  repository text,
  verdict text not null,
  reasons jsonb not null,
  data_version text,
  judged_at timestamptz not null,
  primary key (digest, policy_id)
);
-- every change of a verdict (never the first verdict of a digest): old -> new, why, under which data
create table verdict_changes (
  id bigserial primary key,
  digest text not null,
  policy_id text not null,
  registry text,
  repository text,
  old_verdict text not null,
  new_verdict text not null,
  reasons jsonb not null,
  data_version text,
  cause text not null,
  changed_at timestamptz not null
);
create index verdict_changes_by_digest on verdict_changes (digest, id);`,
  },
  {
    id: '0009-events-and-subscriptions',
    sql: `
-- what happened (verdict changes, final scan failures), in order: pull consumers page by seq
create table events (
  seq bigserial primary key,
  id uuid not null unique,
  type text not null,
  digest text not null,
  repository text not null,
  data jsonb not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now()
);
-- who is told: the secret signs deliveries, so it is kept as given (see docs/decisions.md)
create table subscriptions (
  id uuid primary key,
  url text not null,
  secret text not null,
  format text not null,
  event_types text[] not null,
  repository_glob text not null,
  min_severity text,
  created_at timestamptz not null default now()
);
-- one row per delivery attempt, kept with its subscription
create table notification_deliveries (
  id bigserial primary key,
  subscription_id uuid not null references subscriptions (id) on delete cascade,
  event_id uuid not null,
  attempt integer not null,
  status_code integer,
  error text,
  duration_ms integer not null,
  attempted_at timestamptz not null default now()
);
create index notification_deliveries_by_subscription on notification_deliveries (subscription_id, id desc);`,
  },
  {
    id: '0010-labels-and-token-repositories',
    sql: `
-- the image config's labels (policy requiredLabels); null: indexed before Customs kept them
alter table manifests add column labels jsonb;
-- repository globs an API token is limited to; null: every repository
alter table api_tokens add column repositories text[];`,
  },
  {
    id: '0011-vex-documents',
    sql: `
-- OpenVEX documents as imported (API, service files, CLI, OCI referrers); the same bytes are one row
create table vex_documents (
  id uuid primary key,
  document_id text not null,
  sha256 text not null unique,
  source text not null,
  author text not null,
  issued_at timestamptz not null,
  statements integer not null,
  body jsonb not null,
  imported_at timestamptz not null default now()
);
-- the image digests a document's products name: how a verdict finds the statements about its image
create table vex_document_images (
  vex_document uuid not null references vex_documents (id) on delete cascade,
  digest text not null,
  primary key (digest, vex_document)
);`,
  },
  {
    id: '0012-secret-results',
    sql: `
-- the image's secrets (ImageSecrets: redacted findings with their layers, files read and skipped);
-- null: indexed without the secret scanner. Never a secret itself: matches are redacted before this.
alter table manifests add column secrets jsonb;`,
  },
  {
    id: '0013-image-config-findings',
    sql: `
-- the image config blob as Customs reads it (user, env, ports, healthcheck, labels, history): config
-- findings are computed from it when a report or verdict is asked for, like vulnerability findings;
-- null: indexed before Customs kept it, and a rescan tells
alter table manifests add column image_config jsonb;`,
  },
];

export async function migrateStore(db: Database): Promise<void> {
  await migrate(db, { namespace: STORE_NAMESPACE, migrations: STORE_MIGRATIONS });
}
