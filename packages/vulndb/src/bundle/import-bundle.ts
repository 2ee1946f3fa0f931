import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { once } from 'node:events';
import tar from 'tar-stream';
import type { Database, Queryable } from '@customs/db';
import { BundleInvalidError } from '../errors.js';
import { importSourcesInTransaction } from '../import/import-advisories.js';
import { changedCount } from '../import/import-report.js';
import { migrateVulnDb } from '../schema/migrations.js';
import { lockPackagesGeneration } from '../schema/packages-generation.js';
import type { AdvisorySource, SourceEntry } from '../sources/source-entry.js';
import {
  recordDataVersion,
  writeSourceStates,
  type DataVersion,
  type SourceState,
} from '../state/data-version.js';
import {
  ADVISORIES_FILE,
  CVE_SEVERITIES_FILE,
  MANIFEST_FILE,
  manifestProblem,
  SOURCES_FILE,
  type BundleManifest,
} from './bundle-manifest.js';

/** Whether a file starts like a bundle (gzip), as opposed to an OSV zip or a record. */
export async function looksLikeBundle(file: string): Promise<boolean> {
  const handle = await import('node:fs/promises').then((fs) => fs.open(file, 'r'));
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the database's advisories with a bundle's, in one transaction, after checking every
 * file against the manifest's size and sha256 (nothing is written when one differs). The bundle's
 * source cursors come along, so a later `db update` with network continues incrementally.
 */
export async function importBundle(
  db: Database,
  file: string,
  options: { description?: string; now?: () => Date } = {},
): Promise<{ manifest: BundleManifest; version: DataVersion }> {
  const now = options.now ?? (() => new Date());
  const description = options.description ?? file;
  await migrateVulnDb(db);
  const work = await mkdtemp(join(tmpdir(), 'customs-bundle-'));
  try {
    const { manifest, hashes } = await unpack(file, work, description);
    for (const entry of manifest.files) {
      const actual = hashes.get(entry.name);
      if (!actual) throw new BundleInvalidError(description, `${entry.name} is listed but missing`);
      if (actual.size !== entry.size || actual.sha256 !== entry.sha256)
        throw new BundleInvalidError(
          description,
          `${entry.name} has sha256 ${actual.sha256} (${actual.size} bytes), the manifest says ${entry.sha256} (${entry.size} bytes)`,
        );
    }
    const sources = manifest.files.some((entry) => entry.name === SOURCES_FILE)
      ? (JSON.parse(await readFile(join(work, SOURCES_FILE), 'utf8')) as SourceState[])
      : [];
    const cveSeverities = manifest.files.some((entry) => entry.name === CVE_SEVERITIES_FILE)
      ? (JSON.parse(await readFile(join(work, CVE_SEVERITIES_FILE), 'utf8')) as CveSeverityRow[])
      : [];
    const version = await db.transaction(async (tx) => {
      await lockPackagesGeneration(tx);
      await tx.query('delete from vulndb_advisories');
      await tx.query('delete from vulndb_packages');
      const [report] = await importSourcesInTransaction(
        tx,
        [ndjsonSource(join(work, ADVISORIES_FILE), description)],
        { now },
      );
      await tx.query('delete from vulndb_source_state');
      await writeSourceStates(
        tx,
        sources.map((state) => ({
          ...state,
          lastSuccess: state.lastSuccess ? new Date(state.lastSuccess) : null,
          lastAttempt: new Date(state.lastAttempt),
        })),
      );
      await tx.query('delete from vulndb_cve_severity');
      await writeCveSeverities(tx, cveSeverities);
      return recordDataVersion(tx, {
        createdAt: now(),
        origin: `bundle (data version ${manifest.dataVersion}) from ${description}`,
        changed: report ? changedCount(report.totals) : 0,
      });
    });
    return { manifest, version };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface CveSeverityRow {
  cve_id: string;
  origin: string | null;
  provider: string | null;
  rating: string | null;
  score: number | null;
  vector: string | null;
  checked_at: string;
}

/** The bundle's CVE List ratings, as the exporting site had them (one statement per 1,000). */
async function writeCveSeverities(tx: Queryable, rows: readonly CveSeverityRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 1_000) {
    const page = rows.slice(start, start + 1_000);
    const column = <K extends keyof CveSeverityRow>(key: K) => page.map((row) => row[key]);
    await tx.query(
      `insert into vulndb_cve_severity (cve_id, origin, provider, rating, score, vector, checked_at)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::real[], $6::text[], $7::timestamptz[])`,
      [
        column('cve_id'),
        column('origin'),
        column('provider'),
        column('rating'),
        column('score'),
        column('vector'),
        column('checked_at'),
      ],
    );
  }
}

async function unpack(
  file: string,
  work: string,
  description: string,
): Promise<{ manifest: BundleManifest; hashes: Map<string, { size: number; sha256: string }> }> {
  const extract = tar.extract();
  const hashes = new Map<string, { size: number; sha256: string }>();
  let manifest: BundleManifest | null = null;
  const reading = pipeline(createReadStream(file), createGunzip(), extract).catch((error: unknown) => {
    throw new BundleInvalidError(description, `not a gzip'd tar: ${(error as Error).message}`, error);
  });
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (name === MANIFEST_FILE) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (error) {
          throw new BundleInvalidError(description, 'manifest.json is not JSON', error);
        }
        const problem = manifestProblem(parsed);
        if (problem) throw new BundleInvalidError(description, problem);
        manifest = parsed as BundleManifest;
      } else if (name === ADVISORIES_FILE || name === SOURCES_FILE || name === CVE_SEVERITIES_FILE) {
        const hash = createHash('sha256');
        let size = 0;
        const out = createWriteStream(join(work, name));
        for await (const chunk of entry) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        hashes.set(name, { size, sha256: hash.digest('hex') });
      } else {
        entry.resume();
      }
    }
    await reading;
  } catch (error) {
    extract.destroy();
    await reading.catch(() => undefined);
    if (error instanceof BundleInvalidError) throw error;
    throw new BundleInvalidError(description, (error as Error).message, error);
  }
  if (!manifest) throw new BundleInvalidError(description, 'it has no manifest.json');
  return { manifest, hashes };
}

/** advisories.ndjson as import entries, one record per line. */
function ndjsonSource(file: string, description: string): AdvisorySource {
  return {
    description,
    async *entries(): AsyncGenerator<SourceEntry> {
      let line = 0;
      for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        line += 1;
        if (text.trim() === '') continue;
        yield { name: `${ADVISORIES_FILE}:${line}.json`, data: Buffer.from(text), modifiedAt: null };
      }
    },
  };
}
