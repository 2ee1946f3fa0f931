import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { looseSchemeForEcosystem, schemeForEcosystem } from '@customs/versions';
import { OSV_VECTOR_FILES, VECTOR_CONFLICTS } from '@customs/versions/testing';
import { runInProcess, type CliRun } from '../test-support/run-in-process.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/versions/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/customs.js', import.meta.url));

async function customs(argv: string[], stdin = ''): Promise<CliRun> {
  return runInProcess(argv, { stdin });
}

function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

/** The lines of a text, without the empty one after a final newline. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isData(line: string): boolean {
  const trimmed = line.trim();
  return trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith('//');
}

for (const [file, ecosystems] of OSV_VECTOR_FILES) {
  for (const ecosystem of ecosystems) {
    test(`compare ${ecosystem} - answers every line of ${file} in one run`, async () => {
      const lines = linesOf(fixture(file));
      // "a OP b" becomes the pair "a b"; comments and blank lines stay, so output line N answers input line N.
      const input = lines.map((line) =>
        isData(line)
          ? line
              .split(' ')
              .filter((_, i) => i !== 1)
              .join(' ')
          : line,
      );
      const expected = lines.map((line) => {
        if (!isData(line)) return '';
        // Where the ecosystem's tool cannot order a pair (VECTOR_CONFLICTS says 'error'), the CLI prints '?'.
        const conflict = VECTOR_CONFLICTS.get(ecosystem)?.get(line.trim());
        if (conflict !== undefined) return conflict === 'error' ? '?' : conflict;
        return line.split(' ')[1] ?? '';
      });
      const run = await customs(['version', 'compare', ecosystem, '-'], input.join('\n'));
      assert.deepEqual(linesOf(run.stdout), expected);
      const unanswerable = expected.filter((answer) => answer === '?').length;
      assert.equal(run.code, unanswerable > 0 ? 2 : 0);
      assert.equal(
        run.stderr
          .split('\n')
          .filter((line) => /^line \d+: /.test(line) && line.includes(`: invalid ${ecosystem} version "`))
          .length,
        unanswerable,
      );
    });
  }
}

test('check Alpine - reads apk-tools-version.data as it is: every comparison, fuzzy match and validity line is true', async () => {
  const text = fixture('apk-tools-version.data');
  const run = await customs(['version', 'check', 'Alpine', '-'], text);
  const expected = linesOf(text).map((line) => (isData(line) ? 'true' : ''));
  assert.deepEqual(linesOf(run.stdout), expected);
  assert.equal(expected.filter((answer) => answer === 'true').length, 393);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, '');
});

/** node-semver fixture options as CLI flags (true = loose; see SOURCES.md). */
function flagsOf(raw: unknown): string[] {
  if (raw === true) return ['--loose'];
  if (typeof raw !== 'object' || raw === null) return [];
  const loose: unknown = Reflect.get(raw, 'loose');
  return [
    ...(Boolean(loose) && loose !== '__undefined__' ? ['--loose'] : []),
    ...(Reflect.get(raw, 'includePrerelease') === true ? ['--include-prerelease'] : []),
  ];
}

function semverCases(file: string): unknown[][] {
  const parsed: unknown = JSON.parse(fixture(file));
  const cases: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'cases') : null;
  assert.ok(Array.isArray(cases) && cases.length > 0);
  return cases.filter((entry): entry is unknown[] => Array.isArray(entry));
}

/** Runs the cases of one node-semver file, one CLI run per set of flags, as JSON lines. */
async function runSemverFile(
  file: string,
  subcommand: 'compare' | 'satisfies',
  expect: (values: [string, string], flags: string[]) => string,
): Promise<void> {
  const groups = new Map<string, Array<[string, string]>>();
  for (const [first, second, raw] of semverCases(file)) {
    const key = flagsOf(raw).join(' ');
    groups.set(key, [...(groups.get(key) ?? []), [String(first), String(second)]]);
  }
  for (const [key, cases] of groups) {
    const flags = key === '' ? [] : key.split(' ');
    const run = await customs(
      ['version', subcommand, 'npm', '--json', ...flags, '-'],
      cases.map((values) => JSON.stringify(values)).join('\n'),
    );
    const expected = cases.map((values) => expect(values, flags));
    assert.deepEqual(linesOf(run.stdout), expected, `${file} ${key}`);
    assert.equal(run.code, expected.includes('?') ? 2 : 0);
  }
}

test('node-semver comparisons and equality through compare npm --json -', async () => {
  await runSemverFile('node-semver-comparisons.json', 'compare', () => '>');
  await runSemverFile('node-semver-equality.json', 'compare', () => '=');
});

test('node-semver ranges through satisfies npm --json -; an invalid version is "?", never a silent false', async () => {
  await runSemverFile('node-semver-range-include.json', 'satisfies', () => 'true');
  await runSemverFile('node-semver-range-exclude.json', 'satisfies', ([, version], flags) =>
    (flags.includes('--loose') ? looseSchemeForEcosystem('npm') : schemeForEcosystem('npm')).isValid(version)
      ? 'false'
      : '?',
  );
});

test('single comparisons print an operator and exit 0', async () => {
  assert.deepEqual(await customs(['version', 'compare', 'debian', '1:1.0', '2.0']), {
    code: 0,
    stdout: '>\n',
    stderr: '',
  });
  assert.deepEqual(await customs(['version', 'compare', 'Alpine:v3.19', '1.2_rc1', '1.2']), {
    code: 0,
    stdout: '<\n',
    stderr: '',
  });
  assert.deepEqual(await customs(['version', 'compare', 'GO', 'v1.2.3', '1.2.3']), {
    code: 0,
    stdout: '=\n',
    stderr: '',
  });
});

test('an invalid version or unknown ecosystem exits 2 and says which', async () => {
  const invalid = await customs(['version', 'compare', 'Debian', '1:', '2']);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /^customs version: invalid Debian version "1:": nothing after colon/);
  const unknown = await customs(['version', 'compare', 'Pub', '1', '2']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown ecosystem "Pub".*Debian, Ubuntu, Alpine.*crates\.io, Hex, Go/);
  const stdin = await customs(['version', 'compare', 'Debian', '-'], '1.0 2.0\n\n1: 2\n3.0 1.0\n');
  assert.deepEqual(stdin, {
    code: 2,
    stdout: '<\n\n?\n>\n',
    stderr: 'line 3: invalid Debian version "1:": nothing after colon in version number\n',
  });
});

test('check, valid and satisfies answer with their exit codes', async () => {
  assert.deepEqual(await customs(['version', 'check', 'Alpine', '3.6.9', '~', '3.6']), {
    code: 0,
    stdout: 'true\n',
    stderr: '',
  });
  assert.deepEqual(await customs(['version', 'check', 'Red Hat', '1.0~rc1', '>=', '1.0']), {
    code: 1,
    stdout: 'false\n',
    stderr: '',
  });
  assert.equal((await customs(['version', 'check', 'Debian', '1', '~', '1'])).code, 2, 'fuzzy is apk only');
  assert.deepEqual(await customs(['version', 'valid', 'Alpine', '1.2-r0', '1.2-r']), {
    code: 1,
    stdout: 'valid\ninvalid\n',
    stderr: '',
  });
  assert.deepEqual(await customs(['version', 'satisfies', 'npm', '^1.2.3', '1.9.0']), {
    code: 0,
    stdout: 'true\n',
    stderr: '',
  });
  assert.equal((await customs(['version', 'satisfies', 'PyPI', '>=1', '1.0'])).code, 2);
  assert.equal((await customs(['version', 'compare', 'Debian', '1.0'])).code, 2);
  assert.equal((await customs(['version', 'frobnicate', 'Debian'])).code, 2);
  assert.match((await customs(['version', '--help'])).stdout, /^usage: customs version/);
});

test('the real bin reads a whole file from stdin in one process', () => {
  const lines = fixture('osv-debian-versions-generated.txt').split('\n').filter(isData);
  const input = lines
    .map((line) =>
      line
        .split(' ')
        .filter((_, i) => i !== 1)
        .join(' '),
    )
    .join('\n');
  const child = spawnSync(process.execPath, [BIN, 'version', 'compare', 'Debian', '-'], {
    input,
    encoding: 'utf8',
  });
  assert.equal(child.stderr, '');
  assert.equal(child.status, 0);
  assert.deepEqual(
    linesOf(child.stdout),
    lines.map((line) => line.split(' ')[1]),
  );
  assert.equal(lines.length, 7221);
});
