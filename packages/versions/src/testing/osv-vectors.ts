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
  ['osv-packagist-versions.txt', ['Packagist']],
  ['osv-packagist-versions-generated.txt', ['Packagist']],
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

/**
 * Lines of the osv-packagist files where OSV-SCALIBR answers with PHP's version_compare on the raw
 * strings and Customs answers as Composer does (composer/semver: VersionParser::normalize first).
 * Keyed by the exact line text.
 */
const PACKAGIST_CONFLICTS: ReadonlyMap<string, 'error' | '<' | '=' | '>'> = new Map([
  // Normalized, both are 1.0.0.0: Composer installs them as one version.
  ['1.0.0 > 1.0', '='],
  // A release is above its own prereleases ("3.0" is 3.0.0.0; raw, "3.0" is shorter and so lower).
  ['v3.0 < v3.0.0-beta', '>'],
  ['v3.4 < v3.4.0-alpha', '>'],
  ['v4.4 < v4.4.0-beta', '>'],
  ['v6.5 < v6.5.0-beta-0', '>'],
  ['v6.6 < v6.6.0-beta', '>'],
  ['v4-beta4 < v4.0-alpha', '>'],
  // Composer reads stability words in any case and "-stable" as the release; raw PHP matches
  // lower-case words only and ranks others below "dev".
  ['v1.9.0-ALPHA.1 = v1.9.0-BETA.1', '<'],
  ['v1.9.0-BETA.1 < v1.9.0-ALPHA.2', '>'],
  ['v1.9.0-ALPHA.2 = v1.9.0-BETA.2', '<'],
  ['5.1.0-stable < 5.1.0-beta2', '>'],
  // Named branches are not ordered against versions (Composer never lets one satisfy a constraint).
  ['dev-foo < 1.26.0', 'error'],
  ['1.26.0 > dev-foo', 'error'],
  // Strings VersionParser::normalize rejects: no Composer can install them.
  ['4.3-2RC1 < 4.3-2RC2', 'error'],
  ['4.3-2RC2 > 4.3-2beta5', 'error'],
  ['4.3-2 > 4.3-2beta1', 'error'],
  ['1.2.3.# = 1.2.3', 'error'],
  ['1.2.3.# = 1.2.3.#', 'error'],
  ['1.2.3.# = 1.2.3.1', 'error'],
  ['1.2.3.#.1 > 1.2.3', 'error'],
  ['1.2.3.#.p3 > 1.2.3', 'error'],
  ['1.2.3.#.beta < 1.2.3', 'error'],
  ['999999999999999999999999999991 < 999999999999999999999999999999', 'error'],
  [
    '999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991',
    'error',
  ],
  ['0.0.1-test1 < 3.0.0-alpha4', 'error'],
  ['3.0.0b1 < 3.0.0b1.post1', 'error'],
  ['3.0.0b1.post1 < 3.0.0b1.post2', 'error'],
  ['3.0.0b1.post2 < 3.0.0b2', 'error'],
  ['3.0.0b2 < 3.0.0b2.post1', 'error'],
  ['3.0.0b2.post1 < 3.0.0b2.post2', 'error'],
  ['3.0.0b2.post2 < 3.0.0b3', 'error'],
  ['3.1.0 < 3.1.0.post1', 'error'],
  ['3.1.0.post1 < 3.2.0rc1', 'error'],
  ['3.2.0rc1 < 3.2.0rc1.post1', 'error'],
  ['3.2.0rc1.post1 < 3.2.0rc2', 'error'],
  ['3.4.0 < 3.5.0.post1', 'error'],
  ['3.5.0.post1 < 3.5.1', 'error'],
  ['3.5.2 < 3.5.2.post1', 'error'],
  ['3.5.2.post1 < 3.6.0', 'error'],
  ['1.5 < 1.5.1.dev100', 'error'],
  ['1.5.1.dev100 < 1.5.1.dev101', 'error'],
  ['1.5.1.dev101 < 1.5.1a1', 'error'],
]);

/** Each ecosystem's exception table for the files above: the line text → what Customs answers. */
export const VECTOR_CONFLICTS: ReadonlyMap<string, ReadonlyMap<string, 'error' | '<' | '=' | '>'>> = new Map([
  ['Alpine', APK_CONFLICTS],
  ['Packagist', PACKAGIST_CONFLICTS],
]);
