import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';
import { runInProcess, type CliRun } from '../test-support/run-in-process.js';

const OSV = fileURLToPath(new URL('../../../../test/fixtures/osv', import.meta.url));

async function customs(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runInProcess(argv, { env });
}

let scratch: string;
let server: TestPostgres;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'customs-cli-db-'));
  server = await createTestPostgres();
});
after(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('customs db import', () => {
  it('imports the fixture tree and prints a per-ecosystem summary (exit 0)', async () => {
    const dir = join(scratch, 'embedded');
    const run = await customs(['db', 'import', OSV, '--db-dir', dir]);
    assert.equal(run.code, 0, run.stderr);
    const table = run.stdout.split('\n');
    assert.ok(
      table.includes(
        'ECOSYSTEM  IMPORTED  UPDATED  UNCHANGED  REMOVED  WITHDRAWN  INVALID  GIT RANGES IGNORED',
      ),
    );
    assert.ok(table.includes('Alpine     1934      0        0          0        0          0        0'));
    assert.ok(table.includes('PyPI       194       0        0          0        1          0        46'));
    assert.ok(table.includes('total      2428      0        0          0        4          0        46'));

    const status = await customs(['db', 'status', '--db-dir', dir, '--format', 'json']);
    assert.equal(status.code, 0, status.stderr);
    const document = JSON.parse(status.stdout) as {
      database: unknown;
      advisories: number;
      ecosystems: Array<{ ecosystem: string }>;
    };
    assert.deepEqual(document.database, { kind: 'pglite', location: dir });
    assert.equal(document.advisories, 2428);
    assert.deepEqual(
      document.ecosystems.map((entry) => entry.ecosystem),
      ['Alpine', 'Debian', 'Go', 'Maven', 'PyPI', 'RubyGems', 'crates.io', 'npm'],
    );
  });

  it('lists invalid records with file and id and still exits 0', async () => {
    const source = join(scratch, 'with-broken');
    await mkdir(source, { recursive: true });
    await copyFile(join(OSV, 'npm/GHSA-rv95-896h-c2vc.json'), join(source, 'GHSA-rv95-896h-c2vc.json'));
    // A copy of a real record cut short on purpose.
    const text = await readFile(join(OSV, 'npm/GHSA-qw6h-vgh9-j6wx.json'), 'utf8');
    await writeFile(join(source, 'cut-short.json'), text.slice(0, 200));
    const run = await customs(['db', 'import', source, '--db', server.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^invalid records \(1\), not imported:\n {2}cut-short\.json: \?: not valid JSON: /m,
    );
    assert.match(run.stdout, /^npm +1 +0 +0 +0 +0 +0 +0$/m);
    assert.match(run.stdout, /^\(unknown\) +0 +0 +0 +0 +0 +1 +0$/m);
  });

  it('exits 1 when the source cannot be read', async () => {
    const run = await customs(['db', 'import', join(scratch, 'missing'), '--db', server.url]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot read advisories from .*missing: ENOENT/);
  });

  it('exits 2 on bad arguments', async () => {
    const cases = [
      ['db'],
      ['db', 'import'],
      ['db', 'import', 'a', 'b'],
      ['db', 'import', OSV, '--db', server.url, '--db-dir', scratch],
      ['db', 'import', OSV, '--db', 'mysql://x/y'],
      ['db', 'status', '--bogus'],
      ['db', 'status', '--format', 'xml'],
      ['db', 'frobnicate'],
    ];
    for (const argv of cases) assert.equal((await customs(argv)).code, 2, argv.join(' '));
  });
});

describe('customs db status: which database', () => {
  it('uses DATABASE_URL without flags, and a flag wins over it', async () => {
    const fromEnv = await customs(['db', 'status', '--format', 'json'], {
      DATABASE_URL: server.url,
      HOME: scratch,
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal((JSON.parse(fromEnv.stdout) as { database: { kind: string } }).database.kind, 'postgres');

    const dir = join(scratch, 'flag-wins');
    const fromFlag = await customs(['db', 'status', '--db-dir', dir], { DATABASE_URL: server.url });
    assert.equal(fromFlag.code, 0, fromFlag.stderr);
    assert.match(fromFlag.stdout, new RegExp(`^database: ${dir} \\(pglite\\)$`, 'm'));
  });

  it('defaults to the embedded database under $XDG_CACHE_HOME/customs/db', async () => {
    const cache = join(scratch, 'xdg');
    const run = await customs(['db', 'status'], { XDG_CACHE_HOME: cache });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      `database: ${join(cache, 'customs', 'db')} (pglite)\nadvisories: 0\nno advisories yet: run customs db update (or customs db import)\n`,
    );
  });
});
