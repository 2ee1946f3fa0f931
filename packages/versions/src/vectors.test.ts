import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { schemeForEcosystem } from './ecosystems.js';
import { EXPECTED, readVectorLines } from './testing/vector-file.js';

/** Each OSV-SCALIBR vector file with the ecosystems its own test runs it for (SOURCES.md). */
const FILES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['osv-alpine-versions.txt', ['Alpine']],
  ['osv-alpine-versions-generated.txt', ['Alpine']],
  ['osv-debian-versions.txt', ['Debian']],
  ['osv-debian-versions-generated.txt', ['Debian']],
  ['osv-maven-versions.txt', ['Maven']],
  ['osv-maven-versions-generated.txt', ['Maven']],
  ['osv-nuget-versions.txt', ['NuGet']],
  ['osv-pypi-versions.txt', ['PyPI']],
  ['osv-pypi-versions-generated.txt', ['PyPI']],
  ['osv-redhat-versions.txt', ['Red Hat']],
  ['osv-rubygems-versions.txt', ['RubyGems']],
  ['osv-rubygems-versions-generated.txt', ['RubyGems']],
  ['osv-semver-versions.txt', ['npm', 'crates.io', 'Go', 'Hex']],
  ['rpm-rpmvercmp.txt', ['Red Hat']],
];

/**
 * Lines of osv-alpine-versions.txt that OSV-SCALIBR's own approximation answers and apk-tools v3
 * (src/version.c, the reference of apk-tools-version.data) does not. Customs follows apk-tools:
 * "error" where apk-tools cannot order the pair (the same invalid token in both, or no leading
 * digit), else apk-tools' answer. Keyed by the exact line text.
 */
const APK_CONFLICTS: ReadonlyMap<string, 'error' | '<' | '=' | '>'> = new Map([
  ['0..1..0 < 0..1..1', 'error'],
  ['0...1...0.r1 < 0...1...0.r2', 'error'],
  ['0.8.21.r2 > 0.8.21.r1', 'error'],
  ['1-r0-1 = 1-r-2', '>'],
  ['1-ruff2 = 1-ruff1', 'error'],
  ['1-r0-ruff2 = 1-r0-ruff1', 'error'],
  ['1 > .1', 'error'],
  ['a < b', 'error'],
  ['c = c', 'error'],
]);

function outcome(compare: () => number): number | 'error' {
  try {
    return compare();
  } catch (error) {
    assert.ok(isCustomsError(error, 'INVALID_VERSION'), `unexpected ${String(error)}`);
    return 'error';
  }
}

for (const [file, ecosystems] of FILES) {
  for (const ecosystem of ecosystems) {
    test(`${file} as ${ecosystem}: every line holds both ways`, () => {
      const scheme = schemeForEcosystem(ecosystem);
      const lines = readVectorLines(file);
      assert.ok(lines.length > 0);
      const failures: string[] = [];
      let conflicts = 0;
      for (const { line, words, text } of lines) {
        const [a = '', op = '', b = ''] = words;
        const conflict = ecosystem === 'Alpine' ? APK_CONFLICTS.get(text.trim()) : undefined;
        const expected =
          conflict === undefined ? EXPECTED[op] : conflict === 'error' ? 'error' : EXPECTED[conflict];
        if (conflict !== undefined) conflicts++;
        const forward = outcome(() => scheme.compare(a, b));
        const backward = outcome(() => scheme.compare(b, a));
        const reversed = typeof expected === 'number' ? -expected || 0 : expected;
        if (forward !== expected || backward !== reversed)
          failures.push(`line ${line}: ${text} → ${forward} / ${backward}`);
      }
      assert.deepEqual(failures, []);
      assert.equal(
        conflicts,
        ecosystem === 'Alpine' && file === 'osv-alpine-versions.txt' ? APK_CONFLICTS.size : 0,
      );
    });
  }
}
