/**
 * OSV ecosystem strings are `<base>[:<release>]`: `Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`,
 * `Red Hat:enterprise_linux:9::appstream`, `Maven:https://maven.google.com`. Lookups ask for a base
 * and one release, so both are stored apart, with a release key that is what "the same release" means.
 */

/** OSV's spelling of each base we know, so `debian` and `Debian` land in one place. */
const KNOWN_BASES = [
  'AlmaLinux',
  'Alpine',
  'Alpaquita',
  'Android',
  'Azure Linux',
  'Bitnami',
  'Chainguard',
  'crates.io',
  'Debian',
  'Echo',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
  'Wolfi',
];
const byLowerCase = new Map(KNOWN_BASES.map((base) => [base.toLowerCase(), base]));

export interface EcosystemParts {
  /** OSV's spelling where known (`Debian`), else as written. */
  base: string;
  /** Everything after the first colon, as written; null when there is none. */
  release: string | null;
  /** What a lookup compares: the release reduced to what identifies a distro release (see releaseKey). */
  releaseKey: string | null;
}

export function splitEcosystem(ecosystem: string): EcosystemParts {
  const colon = ecosystem.indexOf(':');
  const rawBase = (colon < 0 ? ecosystem : ecosystem.slice(0, colon)).trim();
  const base = canonicalBase(rawBase);
  const release = colon < 0 ? null : ecosystem.slice(colon + 1).trim() || null;
  return { base, release, releaseKey: release === null ? null : releaseKey(base, release) };
}

export function canonicalBase(base: string): string {
  return byLowerCase.get(base.toLowerCase()) ?? base;
}

/**
 * - Red Hat: `enterprise_linux:9::appstream`, `rhel_eus:9.2::baseos` → `9`: an installed RHEL 9 takes
 *   advisories of every RHEL 9 stream (Red Hat's own matching keys on the CPE's major version).
 * - Rocky Linux, AlmaLinux: `9` or `9.3` → `9` (their advisories are per major release).
 * - Ubuntu: `22.04:LTS` → `22.04`; `Pro:18.04:LTS` → `Pro:18.04`, so ESM fixes never match a plain 18.04.
 * - everything else as written (`12`, `v3.19`, `Leap 15.5`).
 */
export function releaseKey(base: string, release: string): string {
  switch (base) {
    case 'Red Hat': {
      const version = release.split(':')[1] ?? '';
      return majorOf(version) ?? release;
    }
    case 'Rocky Linux':
    case 'AlmaLinux':
      return majorOf(release) ?? release;
    case 'Ubuntu':
      return release.replace(/:LTS$/i, '');
    default:
      return release;
  }
}

function majorOf(version: string): string | null {
  return /^(\d+)(?:\.\d+)*$/.exec(version)?.[1] ?? null;
}
