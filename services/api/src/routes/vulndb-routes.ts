import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readServerControl, type Database } from '@customs/db';
import type { TokenInfo } from '@customs/store';
import { digestsToRejudge } from '@customs/verdicts';
import {
  ecosystemsInUse,
  importAdvisories,
  readDataStatus,
  updateVulnDb,
  type ChangedPackage,
  type DataStatus,
  type ImportReport,
  type UpdateReport,
  type VulnDbStatus,
} from '@customs/vulndb';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import { ImportSourceForbiddenError, UpdateSettingForbiddenError } from '../errors.js';
import type { Handlers } from '../http/typed-operations.js';

/** Sources an admin token may have the server fetch: nothing on the server's own disk or loopback. */
const REMOTE_SOURCE = /^(https|s3):\/\//i;

/**
 * The vulnerability data: its status, and imports and updates run by the server, which is how
 * `customs db import` and `db update` reach an embedded database a running `customs serve` holds
 * (PGlite admits one process).
 */
export function vulnDbHandlers(
  context: ApiContext,
): Pick<Handlers, 'getVulnDbStatus' | 'importAdvisories' | 'updateVulnDb'> {
  const { db } = context.deps.store;
  return {
    async getVulnDbStatus() {
      const [status, data] = await Promise.all([context.deps.vulnReader.status(), readDataStatus(db)]);
      return { status: 200, body: statusBody(status, data, new Date()) };
    },
    async importAdvisories({ body, token }) {
      const allowLoopbackHttp = body.allowLoopbackHttp === true;
      const local = allowLoopbackHttp || !REMOTE_SOURCE.test(body.source);
      // A local path's import report names the files read and why they were skipped: only the
      // credential the local `customs serve` gave its own data directory may ask for that.
      if (local && !(await isLocalControl(db, token))) throw new ImportSourceForbiddenError(body.source);
      const report = await importAdvisories(db, body.source, { http: { allowLoopbackHttp } });
      const data = await readDataStatus(db);
      await queueRejudging(context, report.changedPackages, data.current?.version ?? 0);
      return { status: 200, body: reportBody(report) };
    },
    async updateVulnDb({ body, token }) {
      const allowLoopbackHttp = body.allowLoopbackHttp === true;
      // A CA file is a path on the server's disk and loopback http reaches the server's own ports:
      // the same credential as a local import source.
      const local = body.caFile !== undefined ? 'caFile' : allowLoopbackHttp ? 'allowLoopbackHttp' : null;
      if (local !== null && !(await isLocalControl(db, token))) throw new UpdateSettingForbiddenError(local);
      const ecosystems = body.ecosystems?.length ? body.ecosystems : await ecosystemsInUse(db);
      const report = await updateVulnDb(db, {
        ecosystems,
        alpineBranches: [...new Set(body.alpineBranches ?? [])],
        mirrors: body.mirrors ?? [],
        ...(body.upstream === false && { upstream: { osv: null, alpineSecdb: null } }),
        http: { ...(body.caFile !== undefined && { caFile: body.caFile }), allowLoopbackHttp },
        workDir: downloadsDir(db),
      });
      await queueRejudging(context, report.changedPackages, report.version.version);
      return { status: 200, body: updateReportBody(report) };
    },
  };
}

/**
 * The cached images a data change touches, queued on the re-judging lane as the updater queues them:
 * their recorded verdicts are compared and changes notified by the workers. Null: a full load, every
 * image.
 */
async function queueRejudging(
  context: ApiContext,
  changed: readonly ChangedPackage[] | null,
  dataVersion: number,
): Promise<void> {
  const rejudge = context.deps.rejudge;
  if (rejudge === undefined) return;
  const digests = await digestsToRejudge(changed, context.deps.store.judgedImages);
  const jobs = await rejudge.queue.enqueue(digests, dataVersion, rejudge.batchSize);
  context.deps.logger.info({ dataVersion, digests: digests.length, jobs }, 'images queued for re-judging');
}

/**
 * Where downloads go: beside an embedded database, as the CLI's ~/.cache/customs/downloads is beside
 * ~/.cache/customs/db; else the temporary directory. The update removes them when done.
 */
function downloadsDir(db: Database): string {
  return db.kind === 'pglite' ? join(dirname(db.location), 'downloads') : join(tmpdir(), 'customs-downloads');
}

/** The token `customs serve` wrote into this process's own data directory for the local CLI. */
async function isLocalControl(db: Database, token: TokenInfo | null): Promise<boolean> {
  if (token === null || db.kind !== 'pglite') return false;
  const control = await readServerControl(db.location).catch(() => null);
  return control !== null && control.pid === process.pid && control.tokenId === token.id;
}

function reportBody(report: ImportReport): Schemas['ImportReport'] {
  return {
    ...report,
    startedAt: report.startedAt.toISOString(),
    finishedAt: report.finishedAt.toISOString(),
  };
}

function updateReportBody(report: UpdateReport): Schemas['UpdateReport'] {
  return {
    ...report,
    version: { ...report.version, createdAt: report.version.createdAt.toISOString() },
    startedAt: report.startedAt.toISOString(),
    finishedAt: report.finishedAt.toISOString(),
  };
}

function statusBody(status: VulnDbStatus, data: DataStatus, now: Date): Schemas['VulnDbStatus'] {
  const lastImport = (last: VulnDbStatus['lastImport']) =>
    last && { finishedAt: last.finishedAt.toISOString(), source: last.source };
  const current = data.current;
  return {
    dataVersion: current && {
      ...current,
      createdAt: current.createdAt.toISOString(),
      ageSeconds: Math.max(0, Math.floor((now.getTime() - current.createdAt.getTime()) / 1000)),
    },
    sources: data.sources.map((source) => ({
      ...source,
      lastSuccess: source.lastSuccess?.toISOString() ?? null,
      lastAttempt: source.lastAttempt.toISOString(),
    })),
    advisories: status.advisories,
    ecosystems: status.ecosystems.map((entry) => ({ ...entry, lastImport: lastImport(entry.lastImport) })),
    lastImport: lastImport(status.lastImport),
  };
}
