import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInProcess, type CliRun } from '../test-support/run-in-process.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));

interface Document {
  findings: Array<{ id: string; severity: string }>;
}

/*
 * A root filesystem with trivy's go.mod and snyk's goof lockfile, scanned against the real Go and npm
 * OSV records in test/fixtures/osv: Go records carry no severity, GHSA records do.
 */
describe('customs scan: findings without a severity', () => {
  let scratch = '';
  let rootfs = '';
  let dbDir = '';
  const scan = (...extra: string[]): Promise<CliRun> =>
    runInProcess(['scan', rootfs, '--db-dir', dbDir, ...extra]);

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'customs-cli-scan-'));
    rootfs = join(scratch, 'rootfs');
    dbDir = join(scratch, 'db');
    await mkdir(join(rootfs, 'srv/go'), { recursive: true });
    await mkdir(join(rootfs, 'srv/goof'), { recursive: true });
    await copyFile(join(FIXTURES, 'golang/trivy-gomod/go.mod'), join(rootfs, 'srv/go/go.mod'));
    await copyFile(
      join(FIXTURES, 'npm/snyk/npm-lock-v2_goof/package-lock.json'),
      join(rootfs, 'srv/goof/package-lock.json'),
    );
    for (const ecosystem of ['go', 'npm']) {
      const imported = await runInProcess([
        'db',
        'import',
        join(FIXTURES, 'osv', ecosystem),
        '--db-dir',
        dbDir,
      ]);
      assert.equal(imported.code, 0, imported.stderr);
    }
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  it('the table says how many findings have no severity, and how many --severity hid', async () => {
    const json = await scan('--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    const { findings } = JSON.parse(json.stdout) as Document;
    const unrated = findings.filter((finding) => finding.severity === 'UNKNOWN').length;
    assert.ok(unrated > 0 && unrated < findings.length, `${unrated} of ${findings.length} unrated`);
    const note = `note: ${unrated} of ${findings.length} findings have no severity (UNKNOWN)`;

    const table = await scan();
    assert.equal(table.code, 0, table.stderr);
    assert.ok(table.stdout.includes(`${note}: no advisory rates them`), table.stdout);
    assert.ok(!table.stdout.includes('not shown'));

    const filtered = await scan('--severity', 'CRITICAL,HIGH');
    assert.equal(filtered.code, 0, filtered.stderr);
    assert.doesNotMatch(filtered.stdout, / UNKNOWN {2,}/, 'no UNKNOWN rows');
    assert.ok(filtered.stdout.includes(`; ${unrated} of them not shown (--severity / --ignore-unfixed)\n`));

    const filteredJson = await scan('--format', 'json', '--severity', 'CRITICAL,HIGH');
    assert.ok(filteredJson.stderr.includes(`${note}:`), 'formats without a summary say it on stderr');
  });
});
