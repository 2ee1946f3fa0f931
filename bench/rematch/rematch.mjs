#!/usr/bin/env node
// Re-judging after a vulnerability-data update, at fleet scale: 10,000 cached images × 500 packages
// in PostgreSQL, judged through @customs/verdicts exactly as a worker's re-judging lane does
// (digestsToRejudge, then createRejudger().judge over the digests, one batch after another).
//
// Data: the real OSV records of test/fixtures/osv are imported, except one real npm record held back.
// Image inventories are GENERATED (not real images): each package is drawn from a pool of the real
// package names those records name (Go, npm, PyPI, at a low version their ranges cover) and of
// generated names `bench-<type>-<k>` that no advisory names. Inserted with generate_series, so the
// setup takes a few minutes, most of it PostgreSQL building the package indexes.
//
// Printed: re-judging time after the held-back record is imported (one advisory: only the images
// with its package), and after a full reload (unknown change set: every image), against the targets.
//
// Usage: npm run build && node bench/rematch/rematch.mjs [--images 10000] [--packages 500]
//        [--pool 30000] [--lanes 1,4] [--postgres postgres://…] (default: a throwaway database on
//        127.0.0.1:5432, else a private cluster)
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../packages/db/dist/index.js';
import { createTestPostgres } from '../../packages/db/dist/testing/index.js';
import { openStore } from '../../packages/store/dist/index.js';
import {
  createDataVersionSource,
  createRejudger,
  digestsToRejudge,
} from '../../packages/verdicts/dist/index.js';
import { createVulnDbReader, importAdvisories } from '../../packages/vulndb/dist/index.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '10000' },
    packages: { type: 'string', default: '500' },
    pool: { type: 'string', default: '30000' },
    lanes: { type: 'string', default: '1,4' },
    postgres: { type: 'string' },
  },
});
const IMAGES = Number(values.images);
const PACKAGES = Number(values.packages);
const POOL = Number(values.pool);
/** Full reloads are timed once per value: lanes of batches at once (worker processes × rejudgeConcurrency). */
const LANES = values.lanes.split(',').map(Number);
const FIXTURES = new URL('../../test/fixtures/osv/', import.meta.url).pathname;
/** Real record (jsonwebtoken < 9.0.0, HIGH), imported after the fleet was judged once. */
const HELD_BACK = 'npm/GHSA-27h2-hvpr-p74q.json';
const POLICY = { failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] };

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const log = (line) => process.stderr.write(`${line}\n`);

async function importFixtures(db) {
  const dir = await mkdtemp(join(tmpdir(), 'customs-bench-rematch-'));
  try {
    for (const entry of await readdir(FIXTURES, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
      const relative = join(entry.parentPath, entry.name).slice(FIXTURES.length);
      if (relative === HELD_BACK) continue;
      await copyFile(join(FIXTURES, relative), join(dir, relative.replaceAll('/', '_')));
    }
    return await importAdvisories(db, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function importHeldBack(db) {
  const dir = await mkdtemp(join(tmpdir(), 'customs-bench-rematch-one-'));
  try {
    await copyFile(join(FIXTURES, HELD_BACK), join(dir, 'held-back.json'));
    return await importAdvisories(db, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The pool: real names (with the held-back record's package), then generated ones up to `POOL`. */
async function buildFleet(db) {
  await db.exec(`create temporary table pool (k integer primary key, type text, name text, version text)`);
  await db.query(
    `insert into pool
     select row_number() over (order by type, name) - 1, type, name, version from (
       select distinct case ecosystem_base when 'Go' then 'golang' when 'PyPI' then 'pypi' else 'npm' end as type,
              package_name as name,
              case ecosystem_base when 'Go' then 'v0.0.1' else '0.0.1' end as version
         from vulndb_affected where ecosystem_base in ('Go', 'npm', 'PyPI')
       union select 'npm', 'jsonwebtoken', '8.5.1') real`,
  );
  const [{ real }] = await db.query('select count(*)::int as real from pool');
  await db.query(
    `insert into pool select $1 + g, (array['npm','golang','pypi'])[1 + g % 3], 'bench-' || g, '1.0.0'
       from generate_series(0, $2 - 1) g`,
    [real, POOL - real],
  );
  await db.query(
    `insert into manifests (digest, registry, repository, platform, config_digest, distro, layers, analyzers,
       warnings, incomplete)
     select 'sha256:' || lpad(to_hex(i), 64, '0'), 'bench.local', 'bench/app-' || (i % 100), 'linux/amd64', null,
            null, '[{"digest":"sha256:layer","createdBy":"generated"}]'::jsonb, '{}', '[]'::jsonb, '[]'::jsonb
       from generate_series(1, $1) i`,
    [IMAGES],
  );
  // Multiplicative hashing spreads each image's draw over the pool; real names are as likely as any.
  await db.query(
    `insert into manifest_packages (manifest_digest, ordinal, type, name, version, purl, path, layer)
     select 'sha256:' || lpad(to_hex(i), 64, '0'), j, p.type, p.name, p.version,
            'pkg:' || p.type || '/' || p.name || '@' || p.version, 'generated/' || j, 'sha256:layer'
       from generate_series(1, $1) i cross join generate_series(0, $2 - 1) j
       join pool p on p.k = ((i::bigint * 7919 + j::bigint * 104729 + i::bigint * j) % $3)`,
    [IMAGES, PACKAGES, POOL],
  );
  await db.exec('analyze manifests; analyze manifest_packages');
  return real;
}

/** The digests in `lanes` interleaved batches of 200, as that many worker lanes would take them. */
async function judgeAll(rejudger, digests, lanes) {
  const batches = [];
  for (let i = 0; i < digests.length; i += 200) batches.push(digests.slice(i, i + 200));
  let changes = 0;
  let baselines = 0;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let b = lane; b < batches.length; b += lanes) {
        const outcome = await rejudger.judge(batches[b], 'data-update');
        changes += outcome.changes.length;
        baselines += outcome.baselines;
      }
    }),
  );
  return { changes, baselines };
}

const postgres = values.postgres ? null : await createTestPostgres();
const db = await openDatabase({ url: values.postgres ?? postgres.url });
try {
  const store = await openStore(db);
  let started = performance.now();
  const imported = await importFixtures(db);
  log(`imported ${imported.totals.imported} real OSV records in ${seconds(performance.now() - started)}`);
  started = performance.now();
  const real = await buildFleet(db);
  log(
    `built ${IMAGES} images × ${PACKAGES} packages (pool ${POOL}: ${real} real names) in ${seconds(performance.now() - started)}`,
  );
  const reader = await createVulnDbReader(db);
  const rejudger = createRejudger({
    store,
    reader,
    policy: POLICY,
    dataVersion: createDataVersionSource(reader, {
      pollMs: 0,
      clock: () => performance.now(),
      onError: () => {},
    }),
    now: () => new Date(),
  });

  const fullReloads = [];
  for (const lanes of LANES) {
    started = performance.now();
    const all = await digestsToRejudge(null, store.judgedImages);
    const full = await judgeAll(rejudger, all, lanes);
    fullReloads.push({ lanes, images: all.length, ...full, ms: performance.now() - started });
  }

  const report = await importHeldBack(db);
  started = performance.now();
  const touched = await digestsToRejudge(report.changedPackages, store.judgedImages);
  const one = await judgeAll(rejudger, touched, 1);
  const oneMs = performance.now() - started;

  const verdicts = await db.query(
    'select verdict, count(*)::int as n from verdict_records group by 1 order by 1',
  );
  console.log(`fleet: ${IMAGES} images × ${PACKAGES} packages, PostgreSQL, batches of 200`);
  console.log(`verdicts: ${verdicts.map((row) => `${row.verdict} ${row.n}`).join(', ')}`);
  console.log(
    `one advisory (${HELD_BACK}), 1 lane: ${touched.length} images re-judged, ${one.changes} changes, ${seconds(oneMs)} (target <= 1 s)${oneMs <= 1000 ? '' : ' MISSED'}`,
  );
  for (const run of fullReloads)
    console.log(
      `full reload, ${run.lanes} lane(s): ${run.images} images re-judged (${run.baselines} baselines, ${run.changes} changes), ${seconds(run.ms)}, ${(run.ms / run.images).toFixed(1)} ms per image (target <= 60 s)${run.ms <= 60_000 ? '' : ' MISSED'}`,
    );
} finally {
  await db.close();
  await postgres?.close();
}
