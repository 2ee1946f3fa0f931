// The peer scanners' version vectors (test/fixtures/versions, see its SOURCES.md) and where Customs
// answers differently on purpose: shared by the scheme tests here and the CLI's `version compare` tests.

/** Each OSV-SCALIBR vector file with the ecosystems its own test runs it for (SOURCES.md). */
export const OSV_VECTOR_FILES: ReadonlyArray<readonly [string, readonly string[]]> = [
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
export const APK_CONFLICTS: ReadonlyMap<string, 'error' | '<' | '=' | '>'> = new Map([
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
