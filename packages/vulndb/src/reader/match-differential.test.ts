import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type Database } from '@customs/db';
import type { AffectedQuery } from '../ecosystem/distro-ecosystem.js';
import { importAdvisories } from '../import/import-advisories.js';
import { defaultSchemes, evaluateAffected, type AffectedVerdict } from '../ranges/evaluate-affected.js';
import type { AffectedRange } from '../ranges/affected-ranges.js';
import { OSV_FIXTURES } from '../test-backends.js';
import { evaluateAffected as referenceEvaluate } from '../testing/reference/evaluate-affected.js';
import { affectedFor as referenceLookup } from '../testing/reference/lookup.js';
import { createVulnDbReader, type AffectedRow, type VulnDbReader } from './vulndb-reader.js';

/**
 * The shipped lookup (rows cached per revision) and evaluation (ranges prepared once, outcomes
 * memoised) against the code they replaced, kept in src/testing/reference, on every record in
 * test/fixtures/osv: every listed and event version of every stored entry, and neighbours of each.
 */
let db: Database;
let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'customs-match-differential-'));
  db = await openDatabase({ dataDir: join(scratch, 'pglite') });
  await importAdvisories(db, OSV_FIXTURES);
});
after(async () => {
  await db.close();
  await rm(scratch, { recursive: true, force: true });
});

interface StoredEntry {
  ecosystem: string;
  base: string;
  release: string | null;
  name: string;
  ranges: AffectedRange[];
  versions: string[];
}

/** One query per stored package and version worth asking about. */
async function probes(): Promise<AffectedQuery[]> {
  const entries = await db.query<StoredEntry>(
    `select ecosystem, ecosystem_base as base, release_key as release, name_key as name, ranges, versions
       from vulndb_affected order by advisory_id, ordinal`,
  );
  const queries = new Map<string, AffectedQuery>();
  for (const entry of entries) {
    const events = entry.ranges.flatMap((range) => range.events.map((event) => Object.values(event)[0]));
    const versions = [...entry.versions, ...events].filter(
      (version): version is string => version !== undefined && version !== '0' && version !== '*',
    );
    for (const version of versions.flatMap(neighbours)) {
      const query = {
        ecosystem: entry.ecosystem,
        ecosystemBase: entry.base,
        release: entry.release,
        name: entry.name,
        version,
      };
      queries.set(JSON.stringify(query), query);
    }
  }
  return [...queries.values()];
}

/** The version, versions just around it, and strings no scheme reads (error verdicts). Test-made. */
function neighbours(version: string): string[] {
  const around = [version, `v${version}`, `${version}.1`, `${version}-1`, `${version}~1`, `${version}~`];
  const lastNumber = /^(.*?)(\d+)(\D*)$/.exec(version);
  if (lastNumber) {
    const [, head, digits = '0', tail] = lastNumber;
    const value = BigInt(digits);
    around.push(`${head}${value + 1n}${tail}`);
    if (value > 0n) around.push(`${head}${value - 1n}${tail}`);
  }
  return around;
}

type Compared = { status: 'affected'; fixed: string | null } | { status: string; message?: string };

function comparable(verdict: AffectedVerdict): Compared {
  if (verdict.status === 'error') return { status: 'error', message: verdict.error.message };
  return verdict;
}

/** Per (query, advisory), as the matcher groups rows before evaluating them. */
function verdicts(
  rows: readonly AffectedRow[],
  queries: readonly AffectedQuery[],
  evaluate: typeof evaluateAffected,
): Map<string, Compared> {
  const groups = new Map<string, AffectedRow[]>();
  for (const row of rows) {
    const key = `${row.query}\u0000${row.advisoryId}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const answers = new Map<string, Compared>();
  for (const [key, group] of groups) {
    const query = queries[Number(key.split('\u0000')[0])];
    answers.set(key, comparable(evaluate(group, query?.version ?? '')));
  }
  return answers;
}

/**
 * A judged lookup leaves out only advisories the reference finds `not-affected`: every other one comes
 * back with the reference's very rows, and an advisory kept beyond those is one the evaluation clears.
 */
function assertJudgedKeepsWhatMatters(
  judged: readonly AffectedRow[],
  expected: readonly AffectedRow[],
  reference: ReadonlyMap<string, Compared>,
): void {
  const groupOf = (row: AffectedRow) => `${row.query}\u0000${row.advisoryId}`;
  const mattering = (row: AffectedRow) => reference.get(groupOf(row))?.status !== 'not-affected';
  assert.deepEqual(judged.filter(mattering), expected.filter(mattering));
  const extra = [...new Set(judged.filter((row) => !mattering(row)).map(groupOf))];
  for (const group of extra) assert.equal(reference.get(group)?.status, 'not-affected', group);
  assert.ok(judged.length < expected.length, 'a judged lookup leaves rows out');
}

describe('the cached lookup and memoised evaluation against the reference, on the whole OSV fixture set', () => {
  it('returns the same rows and the same verdict for every probed version, cold and warm', async () => {
    const queries = await probes();
    const warm = await createVulnDbReader(db);
    const seen = { affected: 0, 'not-affected': 0, error: 0 };
    const CHUNK = 2000;
    for (let start = 0; start < queries.length; start += CHUNK) {
      const chunk = queries.slice(start, start + CHUNK);
      const expected = await referenceLookup(db, chunk);
      const cold = await (await createVulnDbReader(db)).affectedFor(chunk);
      assert.deepEqual(cold, expected);
      const warmRows = await warm.affectedFor(chunk);
      assert.deepEqual(await warm.affectedFor(chunk), expected);
      const reference = verdicts(expected, chunk, referenceEvaluate);
      assert.deepEqual(verdicts(cold, chunk, evaluateAffected), reference);
      assert.deepEqual(verdicts(warmRows, chunk, evaluateAffected), reference);
      const judging = { versions: chunk.map((query) => query.version ?? null), resolve: defaultSchemes };
      assertJudgedKeepsWhatMatters(await warm.affectedFor(chunk, judging), expected, reference);
      for (const answer of reference.values()) seen[answer.status as keyof typeof seen] += 1;
    }
    // Not vacuous: the probes reach every kind of answer, in numbers.
    assert.ok(queries.length > 10_000, `${queries.length} probes`);
    assert.ok(seen.affected > 1000 && seen['not-affected'] > 1000 && seen.error > 100, JSON.stringify(seen));
  });
});

describe('a reader that holds rows', () => {
  let reader: VulnDbReader;
  before(async () => {
    reader = await createVulnDbReader(db);
  });

  it('answers from the data as it is now after an import rewrites a row it holds', async () => {
    const query = {
      ecosystem: 'npm',
      ecosystemBase: 'npm',
      release: null,
      name: 'express',
      version: '4.19.2',
    };
    const expressFix = async () =>
      (await reader.affectedFor([query])).find((row) => row.advisoryId === 'GHSA-rv95-896h-c2vc');
    assert.equal(evaluateAffected([(await expressFix()) as AffectedRow], '4.19.2').status, 'not-affected');
    // A test-made revision of the real record: newer `modified`, and the fix moved one patch later.
    const record = JSON.parse(
      await readFile(join(OSV_FIXTURES, 'npm/GHSA-rv95-896h-c2vc.json'), 'utf8'),
    ) as Record<string, unknown>;
    const revised = JSON.stringify({ ...record, modified: '2030-01-01T00:00:00Z' }).replaceAll(
      '"fixed":"4.19.2"',
      '"fixed":"4.19.3"',
    );
    assert.ok(revised.includes('4.19.3'));
    const dir = await mkdtemp(join(scratch, 'revised-'));
    await writeFile(join(dir, 'GHSA-rv95-896h-c2vc.json'), revised);
    await importAdvisories(db, dir);
    assert.deepEqual(evaluateAffected([(await expressFix()) as AffectedRow], '4.19.2'), {
      status: 'affected',
      fixed: '4.19.3',
    });
    assert.deepEqual(await reader.affectedFor([query]), await referenceLookup(db, [query]));
  });

  it('forgets a package whose only record is withdrawn, and finds it again when the record returns', async () => {
    // jsonwebtoken is named by one fixture record only: withdrawing it deletes the package's lookup row.
    const query = { ecosystem: 'npm', ecosystemBase: 'npm', release: null, name: 'jsonwebtoken' };
    let statements = 0;
    const counted = new Proxy(db, {
      get: (target, property) =>
        property === 'query'
          ? (...args: Parameters<Database['query']>) => {
              statements += 1;
              return target.query(...args);
            }
          : Reflect.get(target, property),
    });
    const holding = await createVulnDbReader(counted);
    const ids = async () => (await holding.affectedFor([query])).map((row) => row.advisoryId);
    assert.deepEqual(await ids(), ['GHSA-27h2-hvpr-p74q']);
    statements = 0;
    assert.deepEqual(await ids(), ['GHSA-27h2-hvpr-p74q']);
    assert.equal(statements, 1, 'answered from memory after asking the generation');
    const original = await readFile(join(OSV_FIXTURES, 'npm/GHSA-27h2-hvpr-p74q.json'), 'utf8');
    // A test-made withdrawal of the real record (newer `modified`).
    const withdrawn = JSON.stringify({
      ...(JSON.parse(original) as Record<string, unknown>),
      modified: '2030-01-01T00:00:00Z',
      withdrawn: '2030-01-01T00:00:00Z',
    });
    const dir = await mkdtemp(join(scratch, 'withdrawn-'));
    await writeFile(join(dir, 'GHSA-27h2-hvpr-p74q.json'), withdrawn);
    await importAdvisories(db, dir);
    assert.deepEqual(await ids(), []);
    statements = 0;
    assert.deepEqual(await ids(), []);
    assert.equal(statements, 1, 'a package without rows is answered from memory too');
    const back = await mkdtemp(join(scratch, 'back-'));
    await writeFile(join(back, 'GHSA-27h2-hvpr-p74q.json'), original);
    await importAdvisories(db, back);
    assert.deepEqual(await ids(), ['GHSA-27h2-hvpr-p74q']);
  });
});
