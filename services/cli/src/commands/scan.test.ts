import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

  it('--policy FILE: judges as the service does, naming rule and policy version, and exits on fail only', async () => {
    // A policy file generated for this test: a local target is in no repository, so `**` rules apply.
    const policy = (failOn: string) =>
      `version: 1\nrules:\n  - id: local\n    repositories: ["**"]\n    failOn: ${failOn}\n    warnOn: HIGH\n    unknownSeverity: LOW\n`;
    const file = join(scratch, 'policy.yaml');
    await writeFile(file, policy('CRITICAL'));
    const lenient = await scan('--policy', file, '--format', 'json');
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(
      lenient.stderr,
      /^policy: warn for .*rootfs \(rule local, policy-[0-9a-f]{16}\): \d+ HIGH findings? \(warnOn HIGH\)/m,
    );

    await writeFile(file, policy('HIGH'));
    const strict = await scan('--policy', file, '--format', 'json');
    assert.equal(strict.code, 1, strict.stderr);
    assert.match(
      strict.stderr,
      /^policy: fail for .*\(rule local, policy-[0-9a-f]{16}\): \d+ HIGH findings? \(failOn HIGH\)/m,
    );
    assert.equal((await scan('--policy', file, '--exit-code', '4')).code, 4);

    await writeFile(file, `${policy('HIGH')}    denyRunAsRot: true\n`);
    const broken = await scan('--policy', file);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /policy\.yaml:8: rules\.0: unknown key denyRunAsRot/);
  });

  it('--exit-code N: an incomplete scan exits N with the reason, even without findings', async () => {
    // A lockfile cut short (the goof lockfile's first 200 bytes): its packages cannot be known.
    const broken = join(scratch, 'broken');
    await mkdir(join(broken, 'srv/app'), { recursive: true });
    const lock = await readFile(join(FIXTURES, 'npm/snyk/npm-lock-v2_goof/package-lock.json'));
    await writeFile(join(broken, 'srv/app/package-lock.json'), lock.subarray(0, 200));
    const run = (...extra: string[]) => runInProcess(['scan', broken, '--db-dir', dbDir, ...extra]);

    const gated = await run('--exit-code', '3');
    assert.equal(gated.code, 3, gated.stderr);
    assert.match(gated.stdout, /^INCOMPLETE SCAN: Customs could not read a file it needed;/);
    assert.match(gated.stdout, /no vulnerabilities found/);
    assert.match(
      gated.stderr,
      /^error: incomplete scan of .*broken: layer dir:.*: file srv\/app\/package-lock\.json: .* \[NPM_FILE_INVALID\]$/m,
    );
    const json = await run('--format', 'json', '--exit-code', '3');
    assert.equal(json.code, 3);
    const document = JSON.parse(json.stdout) as {
      findings: unknown[];
      incomplete: Array<{ path: string; code: string }>;
    };
    assert.deepEqual(document.findings, []);
    assert.deepEqual(
      document.incomplete.map((record) => [record.path, record.code]),
      [['srv/app/package-lock.json', 'NPM_FILE_INVALID']],
    );
    assert.equal((await run()).code, 0, 'without --exit-code the exit code stays 0, as with findings');

    await writeFile(
      join(broken, 'srv/app/package-lock.json'),
      '{"name":"app","lockfileVersion":3,"packages":{}}',
    );
    const whole = await run('--exit-code', '3');
    assert.equal(whole.code, 0, whole.stderr);
    assert.doesNotMatch(whole.stdout + whole.stderr, /incomplete/i);
  });
});
