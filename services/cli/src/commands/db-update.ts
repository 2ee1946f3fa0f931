import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@customs/db';
import {
  affectedQueriesFor,
  ecosystemsInUse,
  OSV_ECOSYSTEMS,
  updateVulnDb,
  type UpdateOptions,
  type UpdateProgress,
  type PackageForQuery,
  type UpdateReport,
} from '@customs/vulndb';

/** What an inventoried image tells about the ecosystems it needs data for. */
export interface InventoriedImage {
  distro: Distro | null;
  packages: readonly PackageForQuery[];
}
import type { Distro } from '@customs/inventory';
import { renderTable } from '@customs/report';
import { UsageError, type CliIO } from '../io.js';
import { s3Options } from './s3-options.js';
import type { UpdateFlags } from './update-options.js';

/** Where data comes from: flags, else CUSTOMS_DB_* variables; mirrors are tried before upstream. */
export function updateSettings(flags: UpdateFlags, env: CliIO['env']) {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const mirrors = flags.mirror?.length ? flags.mirror : list(env.CUSTOMS_DB_MIRROR);
  for (const mirror of mirrors) {
    if (!/^(https?|s3|oci):\/\//.test(mirror))
      throw new UsageError(`mirror "${mirror}" is not an https://, s3:// or oci:// URL`);
  }
  const noUpstream = flags['no-upstream'] === true || env.CUSTOMS_DB_UPSTREAM === 'off';
  const ecosystems = flags.ecosystem?.length ? flags.ecosystem : list(env.CUSTOMS_DB_ECOSYSTEMS);
  for (const ecosystem of ecosystems) {
    if (!(OSV_ECOSYSTEMS as readonly string[]).includes(ecosystem))
      throw new UsageError(`unknown ecosystem "${ecosystem}"; known: ${OSV_ECOSYSTEMS.join(', ')}`);
  }
  const caFile = flags['ca-file'] ?? env.CUSTOMS_DB_CA_FILE;
  return {
    mirrors,
    noUpstream,
    ecosystems,
    alpineBranches: flags['alpine-branch']?.length
      ? flags['alpine-branch']
      : list(env.CUSTOMS_DB_ALPINE_BRANCHES),
    http: { ...(caFile && { caFile }), allowLoopbackHttp: flags['allow-loopback-http'] === true },
    workDir: join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'customs', 'downloads'),
    cveList: env.CUSTOMS_DB_CVE_LIST || null,
  };
}

export type UpdateSettings = ReturnType<typeof updateSettings>;

/**
 * Which OSV ecosystems to fetch: the configured ones; else those the images at hand (scan) or the
 * database's earlier updates and imports use (`ecosystemsInUse`).
 */
export async function ecosystemsToFetch(
  db: Database,
  settings: UpdateSettings,
  images: readonly InventoriedImage[] = [],
): Promise<{ ecosystems: string[]; alpineBranches: string[] }> {
  const alpineBranches = [...new Set(settings.alpineBranches)];
  if (settings.ecosystems.length > 0) return { ecosystems: settings.ecosystems, alpineBranches };
  const seen = new Set<string>();
  for (const image of images) {
    for (const pkg of image.packages) {
      for (const query of affectedQueriesFor(pkg, image.distro)) {
        seen.add(query.ecosystemBase);
      }
    }
  }
  return { ecosystems: await ecosystemsInUse(db, seen), alpineBranches };
}

export function updateOptions(
  settings: UpdateSettings,
  selection: { ecosystems: string[]; alpineBranches: string[] },
  io: CliIO,
  onProgress: (progress: UpdateProgress) => void,
): UpdateOptions {
  return {
    ...selection,
    mirrors: settings.mirrors.filter((mirror) => !mirror.startsWith('oci://')),
    ...(settings.noUpstream && { upstream: { osv: null, alpineSecdb: null } }),
    http: settings.http,
    s3: s3Options(io.env),
    workDir: settings.workDir,
    cveList: settings.cveList,
    onProgress,
  };
}

/** Download and import progress, one line redrawn on a terminal; nothing when stderr is piped. */
export function updateProgressLine(io: CliIO): {
  update: (progress: UpdateProgress) => void;
  finish: () => void;
} {
  let drawn = false;
  return {
    update(progress) {
      if (!io.stderr.isTTY) return;
      const text =
        progress.phase === 'download'
          ? `downloading ${progress.path}: ${mib(progress.bytes)}${progress.size ? ` of ${mib(progress.size)}` : ''}`
          : `importing ${progress.source}: ${progress.records} records`;
      io.stderr.write(`\r\x1b[K${text}`);
      drawn = true;
    },
    finish() {
      if (drawn) io.stderr.write('\r\x1b[K');
    },
  };
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

export async function runUpdate(
  db: Database,
  settings: UpdateSettings,
  io: CliIO,
  images: readonly InventoriedImage[] = [],
): Promise<UpdateReport> {
  const progress = updateProgressLine(io);
  try {
    return await updateVulnDb(
      db,
      updateOptions(settings, await ecosystemsToFetch(db, settings, images), io, progress.update),
    );
  } finally {
    progress.finish();
  }
}

export function renderUpdateReport(report: UpdateReport): string {
  const rows = report.sources.map((source) => [
    source.source,
    source.mode,
    ...(source.counts
      ? [source.counts.imported, source.counts.updated, source.counts.removed, source.counts.unchanged].map(
          String,
        )
      : ['-', '-', '-', '-']),
    source.location,
  ]);
  const seconds = ((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000).toFixed(1);
  const cve = report.cveList;
  const severities = cve
    ? [`severities: ${cve.rated} of ${cve.asked} CVE List records asked rate their flaw (${cve.location})`]
    : [];
  return (
    [
      `data version ${report.version.version}: ${report.version.advisories} advisories, ${report.version.changed} changed, in ${seconds} s`,
      '',
      renderTable(['SOURCE', 'MODE', 'IMPORTED', 'UPDATED', 'REMOVED', 'UNCHANGED', 'FROM'], rows).trimEnd(),
      ...severities,
    ].join('\n') + '\n'
  );
}
