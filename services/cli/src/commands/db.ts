import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveDatabaseTarget } from '@customs/db';
import { renderTable } from '@customs/report';
import {
  createVulnDbReader,
  importAdvisories,
  importBundle,
  looksLikeBundle,
  readDataStatus,
  type DataStatus,
  type ImportReport,
  type VulnDbStatus,
} from '@customs/vulndb';
import { DATABASE_OPTIONS, databaseFlags, withDatabase } from '../database-options.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { withDatabaseOrServer } from '../server-control/database-or-server.js';
import { parseFormat } from '../target-options.js';
import { renderUpdateReport, runUpdate, updateSettings } from './db-update.js';
import { UPDATE_OPTIONS } from './update-options.js';
import { s3Options } from './s3-options.js';
import { bundleCommand } from './db-bundle.js';

export const DB_USAGE = `usage: customs db update [--mirror https://… | s3://bucket/prefix | oci://registry/repo:tag]... [--no-upstream]
                         [--ca-file PEM] [--ecosystem NAME]... [--alpine-branch v3.19]... [--db … | --db-dir PATH]
       customs db import <dir | file.zip | https://…/all.zip | s3://bucket/prefix | bundle.tar.gz> [--db … | --db-dir PATH]
       customs db status [--db postgres://… | --db-dir PATH] [--format table|json]
       customs db export <bundle.tar.gz> | customs db push <registry/repo:tag> | customs db pull <registry/repo:tag>

update fetches OSV's exports (https://osv-vulnerabilities.storage.googleapis.com) for the ecosystems in use,
mirrors first (--mirror, or CUSTOMS_DB_MIRROR=url,url), and applies them as one new data version; see
docs/configuration.md for CUSTOMS_DB_* settings. export/import/push/pull move the whole database as one
checksummed bundle (an OCI artifact in a registry) to sites without network.

Without --db or --db-dir: DATABASE_URL, else the embedded database in $XDG_CACHE_HOME/customs/db
(~/.cache/customs/db). S3: AWS_ENDPOINT_URL (path-style), AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
While customs serve has the embedded database open, import, update and status go through it (it reads
the sources itself).
`;

const FORMATS = ['table', 'json'] as const;
const SKIPPED_SHOWN = 20;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** `customs db import|status`: fills and inspects the vulnerability database `scan` reads. */
export async function dbCommand(argv: string[], io: CliIO): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
    io.stdout.write(DB_USAGE);
    return subcommand === undefined ? EXIT.badArguments : EXIT.ok;
  }
  if (subcommand === 'import') return importCommand(rest, io);
  if (subcommand === 'status') return statusCommand(rest, io);
  if (subcommand === 'update') return updateCommand(rest, io);
  if (subcommand === 'export' || subcommand === 'push' || subcommand === 'pull')
    return bundleCommand(subcommand, rest, io);
  throw new UsageError(`unknown subcommand "${subcommand}"\n${DB_USAGE}`);
}

/** parseArgs, with its complaints (unknown option, missing value) as usage errors: exit code 2. */
function parseOrUsage<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${DB_USAGE}`);
  }
}

async function importCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOrUsage({
    args: argv,
    allowPositionals: true,
    // For tests against a loopback server only: plain http is otherwise refused.
    options: { ...DATABASE_OPTIONS, ...HELP, 'allow-loopback-http': { type: 'boolean' } },
  });
  if (values.help) {
    io.stdout.write(DB_USAGE);
    return EXIT.ok;
  }
  const [source, ...extra] = positionals;
  if (!source || extra.length > 0) throw new UsageError(`expected one source to import\n${DB_USAGE}`);
  const target = resolveDatabaseTarget(databaseFlags(values), io.env);
  if (await isBundleFile(source)) {
    const { manifest, version } = await withDatabase(databaseFlags(values), io, (db) =>
      importBundle(db, source),
    );
    io.stdout.write(
      `imported ${manifest.counts.advisories} advisories from ${source} (exported as data version ${manifest.dataVersion}) as data version ${version.version}\n`,
    );
    return EXIT.ok;
  }
  const allowLoopbackHttp = values['allow-loopback-http'] === true;
  const progress = progressLine(io);
  const report = await withDatabaseOrServer(target, io, {
    database: (db) =>
      importAdvisories(db, source, {
        onProgress: progress.update,
        http: { allowLoopbackHttp },
        s3: s3Options(io.env),
      }),
    // The server reads the source itself: a path must not depend on where it was started.
    server: (server) => server.importAdvisories(absoluteSource(source), { allowLoopbackHttp }),
  });
  progress.finish();
  io.stdout.write(renderImportReport(report));
  return EXIT.ok;
}

async function updateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOrUsage({
    args: argv,
    allowPositionals: true,
    options: { ...DATABASE_OPTIONS, ...HELP, ...UPDATE_OPTIONS },
  });
  if (values.help) {
    io.stdout.write(DB_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`update takes no arguments\n${DB_USAGE}`);
  const settings = updateSettings(values, io.env);
  // A registry mirror holds the whole database as one bundle: pulling it is the update.
  const oci = settings.mirrors.find((mirror) => mirror.startsWith('oci://'));
  if (oci) return bundleCommand('pull', [oci.slice('oci://'.length), ...argv], io);
  const target = resolveDatabaseTarget(databaseFlags(values), io.env);
  const report = await withDatabaseOrServer(target, io, {
    database: (db) => runUpdate(db, settings, io),
    // The server fetches with these settings itself; ecosystems left out, it picks those it holds.
    server: (server) =>
      server.updateVulnDb({
        mirrors: settings.mirrors,
        upstream: !settings.noUpstream,
        ecosystems: settings.ecosystems,
        alpineBranches: settings.alpineBranches,
        ...(settings.http.caFile && { caFile: resolve(settings.http.caFile) }),
        allowLoopbackHttp: settings.http.allowLoopbackHttp,
      }),
  });
  io.stdout.write(renderUpdateReport(report));
  return EXIT.ok;
}

async function statusCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOrUsage({
    args: argv,
    allowPositionals: true,
    options: { ...DATABASE_OPTIONS, ...HELP, format: { type: 'string' } },
  });
  if (values.help) {
    io.stdout.write(DB_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`status takes no arguments\n${DB_USAGE}`);
  const format = parseFormat(values.format, FORMATS, 'table');
  const target = resolveDatabaseTarget(databaseFlags(values), io.env);
  const { database, status, data } = await withDatabaseOrServer<{
    database: { kind: string; location: string };
    status: VulnDbStatus;
    data: DataStatus;
  }>(target, io, {
    database: async (db) => ({
      database: { kind: db.kind, location: db.location },
      status: await (await createVulnDbReader(db)).status(),
      data: await readDataStatus(db),
    }),
    // Only an embedded database is ever held by a server: its location is the directory we named.
    server: async (server) => ({
      database: { kind: 'pglite', location: target.dataDir ?? '' },
      ...(await server.vulnDbStatus()),
    }),
  });
  io.stdout.write(
    format === 'json'
      ? JSON.stringify({ database, ...status, ...dataJson(data) }, null, 2) + '\n'
      : renderStatus(database, status) + renderData(data),
  );
  return EXIT.ok;
}

/** A local gzip file: a bundle `db export` wrote (OSV exports are zips, records are JSON/YAML). */
async function isBundleFile(source: string): Promise<boolean> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return false;
  const info = await stat(source).catch(() => null);
  return info !== null && info.isFile() && (await looksLikeBundle(source));
}

/** Sources that name no scheme are local paths, made absolute against this command's directory. */
function absoluteSource(source: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : resolve(source);
}

/** One line redrawn in place on a terminal; nothing when stderr is piped. */
function progressLine(io: CliIO): {
  update: (progress: { files: number; records: number }) => void;
  finish: () => void;
} {
  let drawn = false;
  return {
    update: ({ files, records }) => {
      if (!io.stderr.isTTY) return;
      io.stderr.write(`\r\x1b[Kimporting: ${files} files read, ${records} records written`);
      drawn = true;
    },
    finish: () => {
      if (drawn) io.stderr.write('\r\x1b[K');
    },
  };
}

export function renderImportReport(report: ImportReport): string {
  const header = [
    'ECOSYSTEM',
    'IMPORTED',
    'UPDATED',
    'UNCHANGED',
    'REMOVED',
    'WITHDRAWN',
    'INVALID',
    'GIT RANGES IGNORED',
  ];
  const row = (name: string, counts: Omit<ImportReport['totals'], never>): string[] => [
    name,
    ...[
      counts.imported,
      counts.updated,
      counts.unchanged,
      counts.removed,
      counts.withdrawn,
      counts.invalid,
      counts.gitRangesIgnored,
    ].map(String),
  ];
  const rows = [
    ...report.ecosystems.map((counts) => row(counts.ecosystem, counts)),
    row('total', report.totals),
  ];
  const seconds = ((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000).toFixed(1);
  const lines = [`imported ${report.source} in ${seconds} s`, '', renderTable(header, rows).trimEnd()];
  if (report.invalid.length > 0) {
    lines.push('', `invalid records (${report.invalid.length}), not imported:`);
    lines.push(...report.invalid.map((entry) => `  ${entry.file}: ${entry.id}: ${entry.problem}`));
  }
  if (report.skipped.length > 0) {
    lines.push('', `skipped (${report.skipped.length}):`);
    lines.push(...report.skipped.slice(0, SKIPPED_SHOWN).map((entry) => `  ${entry.file}: ${entry.problem}`));
    if (report.skipped.length > SKIPPED_SHOWN)
      lines.push(`  … and ${report.skipped.length - SKIPPED_SHOWN} more`);
  }
  return lines.join('\n') + '\n';
}

function renderStatus(database: { kind: string; location: string }, status: VulnDbStatus): string {
  const lines = [`database: ${database.location} (${database.kind})`, `advisories: ${status.advisories}`];
  if (status.ecosystems.length === 0)
    return [...lines, 'no advisories yet: run customs db update (or customs db import)'].join('\n') + '\n';
  const rows = status.ecosystems.map((entry) => [
    entry.ecosystem,
    String(entry.advisories),
    String(entry.affectedEntries),
    entry.lastImport?.finishedAt.toISOString() ?? '-',
    entry.lastImport?.source ?? '-',
  ]);
  return (
    [
      ...lines,
      '',
      renderTable(['ECOSYSTEM', 'ADVISORIES', 'AFFECTED ENTRIES', 'LAST IMPORT', 'SOURCE'], rows).trimEnd(),
    ].join('\n') + '\n'
  );
}

function dataJson(data: DataStatus): { dataVersion: DataStatus['current']; sources: DataStatus['sources'] } {
  return { dataVersion: data.current, sources: data.sources };
}

/** The serving data version and each update source: cursor, last success, last error. */
function renderData(data: DataStatus): string {
  if (data.current === null && data.sources.length === 0) return '';
  const lines = [''];
  if (data.current) {
    const hours = ((Date.now() - data.current.createdAt.getTime()) / 3_600_000).toFixed(1);
    lines.push(
      `data version: ${data.current.version} (${data.current.origin}, ${data.current.createdAt.toISOString()}, ${hours} h ago)`,
    );
  }
  if (data.sources.length > 0) {
    const rows = data.sources.map((source) => [
      source.source,
      source.counts ? String(source.counts.imported + source.counts.updated) : '-',
      source.cursor ?? '-',
      source.lastSuccess?.toISOString() ?? '-',
      source.lastError ?? '-',
    ]);
    lines.push(
      '',
      renderTable(['SOURCE', 'CHANGED LAST', 'CURSOR', 'LAST SUCCESS', 'LAST ERROR'], rows).trimEnd(),
    );
  }
  return lines.join('\n') + '\n';
}
