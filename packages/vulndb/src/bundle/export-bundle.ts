import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { Database } from '@customs/db';
import { createVulnDbReader } from '../reader/vulndb-reader.js';
import { migrateVulnDb } from '../schema/migrations.js';
import { readDataStatus } from '../state/data-version.js';
import {
  ADVISORIES_FILE,
  CVE_SEVERITIES_FILE,
  BUNDLE_ARTIFACT_TYPE,
  BUNDLE_SCHEMA_VERSION,
  MANIFEST_FILE,
  SOURCES_FILE,
  type BundleManifest,
} from './bundle-manifest.js';

const PAGE = 1000;

/**
 * Writes the whole database as one bundle: a gzip'd tar of manifest.json (schema version, data
 * version, counts, size and sha256 of every other file), advisories.ndjson (every stored record as
 * imported, one per line, by id), sources.json (each update source's cursor, so a site that
 * imports the bundle can later update incrementally) and cve-severities.json (what the CVE List
 * rated the CVEs of unrated advisories, which an air-gapped site cannot fetch).
 */
export async function exportBundle(
  db: Database,
  file: string,
  now: () => Date = () => new Date(),
): Promise<BundleManifest> {
  await migrateVulnDb(db);
  const work = await mkdtemp(join(tmpdir(), 'customs-bundle-'));
  try {
    const advisories = join(work, ADVISORIES_FILE);
    const out = createWriteStream(advisories);
    let last = '';
    let count = 0;
    for (;;) {
      const rows = await db.query<{ id: string; record: unknown }>(
        'select id, record from vulndb_advisories where id > $1 order by id limit $2',
        [last, PAGE],
      );
      for (const row of rows) {
        if (!out.write(JSON.stringify(row.record) + '\n')) await once(out, 'drain');
      }
      count += rows.length;
      if (rows.length < PAGE) break;
      last = rows[rows.length - 1]?.id ?? last;
    }
    out.end();
    await once(out, 'finish');
    const data = await readDataStatus(db);
    const sources = join(work, SOURCES_FILE);
    await writeFile(
      sources,
      JSON.stringify(
        data.sources.filter((s) => s.lastSuccess !== null),
        null,
        2,
      ),
    );
    const cveSeverities = join(work, CVE_SEVERITIES_FILE);
    await writeFile(
      cveSeverities,
      JSON.stringify(await db.query('select * from vulndb_cve_severity order by cve_id'), null, 1),
    );
    const status = await (await createVulnDbReader(db)).status();
    const manifest: BundleManifest = {
      mediaType: BUNDLE_ARTIFACT_TYPE,
      schemaVersion: BUNDLE_SCHEMA_VERSION,
      dataVersion: data.current?.version ?? 0,
      createdAt: now().toISOString(),
      counts: {
        advisories: count,
        ecosystems: Object.fromEntries(status.ecosystems.map((entry) => [entry.ecosystem, entry.advisories])),
      },
      files: [
        await describe(advisories, ADVISORIES_FILE),
        await describe(sources, SOURCES_FILE),
        await describe(cveSeverities, CVE_SEVERITIES_FILE),
      ],
    };
    const pack = tar.pack();
    const written = pipeline(pack, createGzip(), createWriteStream(file));
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
    pack.entry({ name: MANIFEST_FILE, size: manifestBytes.length }, manifestBytes);
    for (const entry of manifest.files) {
      const sink = pack.entry({ name: entry.name, size: entry.size });
      await pipeline(createReadStream(join(work, entry.name)), sink);
    }
    pack.finalize();
    await written;
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function describe(path: string, name: string): Promise<BundleManifest['files'][number]> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { name, size: (await stat(path)).size, sha256: hash.digest('hex') };
}
