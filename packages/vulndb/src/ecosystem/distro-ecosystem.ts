import type { Distro, PackageType } from '@customs/inventory';
import { packageNameKey } from './package-name.js';

/** What the matcher asks the database for one package: an ecosystem base, one release of it, a name. */
export interface AffectedQuery {
  /** The OSV ecosystem string the package belongs to, for findings: `Debian:12`, `Ubuntu:22.04:LTS`, `npm`. */
  ecosystem: string;
  ecosystemBase: string;
  /** Release key (see releaseKey): `12`, `v3.19`, `22.04`, `9`; null for ecosystems without releases. */
  release: string | null;
  /** Already normalised with packageNameKey. */
  name: string;
  /**
   * The installed version, when known: the lookup then ships only whether it is in each entry's
   * `versions` list instead of the whole list (PyPI lists run to hundreds of versions).
   */
  version?: string | null;
}

/** Language package types map to one OSV ecosystem wherever they are installed. */
export const LANGUAGE_ECOSYSTEMS: Readonly<Partial<Record<PackageType, string>>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  cargo: 'crates.io',
  composer: 'Packagist',
  nuget: 'NuGet',
};

/** Debian's codenames and their numbers (distro-info-data), for testing images that carry only a codename. */
const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};

export interface DistroEcosystem {
  ecosystem: string;
  base: string;
  release: string | null;
}

/** What a distribution with OSV data installs: the ecosystem base of its packages and their type. */
export interface DistroPackages {
  base: string;
  type: PackageType;
}

/**
 * Every distribution Customs matches, by os-release ID: with LANGUAGE_ECOSYSTEMS, the one list of
 * ecosystems an analyzed package can land in (ecosystem-coverage.test walks both).
 */
export const DISTRO_ECOSYSTEMS: ReadonlyMap<string, DistroPackages> = new Map([
  ['debian', { base: 'Debian', type: 'deb' }],
  ['ubuntu', { base: 'Ubuntu', type: 'deb' }],
  ['alpine', { base: 'Alpine', type: 'apk' }],
  ['wolfi', { base: 'Wolfi', type: 'apk' }],
  ['chainguard', { base: 'Chainguard', type: 'apk' }],
  ['rhel', { base: 'Red Hat', type: 'rpm' }],
  ['rocky', { base: 'Rocky Linux', type: 'rpm' }],
  ['almalinux', { base: 'AlmaLinux', type: 'rpm' }],
  ['sles', { base: 'SUSE', type: 'rpm' }],
  ['sled', { base: 'SUSE', type: 'rpm' }],
  ['sle-micro', { base: 'SUSE', type: 'rpm' }],
  ['opensuse-leap', { base: 'openSUSE', type: 'rpm' }],
  ['opensuse-tumbleweed', { base: 'openSUSE', type: 'rpm' }],
  ['opensuse', { base: 'openSUSE', type: 'rpm' }],
  ['photon', { base: 'Photon OS', type: 'rpm' }],
] as const);

/**
 * The OSV ecosystem of a distribution's own packages, or null when OSV has none we can match
 * (Fedora, CentOS, Amazon Linux, ...): the matcher then reports the distro as unsupported.
 */
export function distroEcosystem(distro: Distro): DistroEcosystem | null {
  const base = DISTRO_ECOSYSTEMS.get(distro.id)?.base;
  const version = distro.versionId;
  switch (base) {
    case 'Debian':
      return withRelease(base, debianRelease(distro));
    case 'Ubuntu':
      return version ? ubuntu(version) : null;
    case 'Alpine': {
      const minor = /^(\d+)\.(\d+)/.exec(version ?? '');
      return minor ? withRelease(base, `v${minor[1]}.${minor[2]}`) : null;
    }
    case 'Red Hat':
    case 'Rocky Linux':
    case 'AlmaLinux':
      return majorRelease(base, version);
    case 'SUSE':
    case 'openSUSE':
      return prettyRelease(base, distro);
    case 'Photon OS':
      return version ? withRelease(base, version) : null;
    case 'Wolfi':
    case 'Chainguard':
      return { ecosystem: base, base, release: null };
    default:
      return null;
  }
}

/**
 * Debian: VERSION_ID's major number; testing and unstable images have no VERSION_ID, only a codename
 * (`trixie` from "trixie/sid"), which distro-info numbers before release; `sid` stays `sid` as OSV
 * writes it. An unknown codename is kept as is: it matches nothing rather than the wrong release.
 */
function debianRelease(distro: Distro): string | null {
  const major = /^(\d+)/.exec(distro.versionId ?? '')?.[1];
  if (major) return major;
  const codename = distro.codename?.toLowerCase();
  if (!codename) return null;
  return DEBIAN_CODENAMES[codename] ?? codename;
}

/** Ubuntu releases are YY.MM; the April release of even years is LTS and OSV then requires `:LTS`. */
function ubuntu(version: string): DistroEcosystem | null {
  const match = /^(\d{2})\.(\d{2})/.exec(version);
  if (!match) return null;
  const release = `${match[1]}.${match[2]}`;
  const lts = Number(match[1]) % 2 === 0 && match[2] === '04';
  return { ecosystem: `Ubuntu:${release}${lts ? ':LTS' : ''}`, base: 'Ubuntu', release };
}

function majorRelease(base: string, version: string | null): DistroEcosystem | null {
  const major = /^(\d+)/.exec(version ?? '')?.[1];
  return major ? withRelease(base, major) : null;
}

/** SUSE and openSUSE name releases by PRETTY_NAME without the vendor word: `openSUSE:Leap 15.5`. */
function prettyRelease(base: 'SUSE' | 'openSUSE', distro: Distro): DistroEcosystem | null {
  const pretty = distro.prettyName?.trim();
  if (!pretty) return null;
  const release = pretty.startsWith(`${base} `) ? pretty.slice(base.length + 1) : pretty;
  return withRelease(base, release);
}

function withRelease(base: string, release: string | null): DistroEcosystem | null {
  return release ? { ecosystem: `${base}:${release}`, base, release } : null;
}

/** The parts of an inventory package the mapping reads. */
export interface PackageForQuery {
  type: PackageType;
  name: string;
  version?: string;
  source?: { name: string; version?: string } | null;
}

/**
 * The lookups for one package. Distro advisories are keyed by source package (dpkg `Source:`, apk
 * origin, SRPM name), so a binary package is looked up by its source. Red Hat's data names binary
 * and source RPMs alike, so an RPM on RHEL is looked up by both. Empty when nothing can match.
 */
export function affectedQueriesFor(pkg: PackageForQuery, distro: Distro | null): AffectedQuery[] {
  const language = LANGUAGE_ECOSYSTEMS[pkg.type];
  if (language) {
    const name = packageNameKey(language, pkg.name);
    return [{ ecosystem: language, ecosystemBase: language, release: null, name, ...versionOf(pkg.version) }];
  }
  if (!distro) return [];
  const target = distroEcosystem(distro);
  if (!target) return [];
  // The source package's version is what its advisories' ranges speak of (a binNMU `+b1` is not).
  const lookups = new Map([[pkg.source?.name ?? pkg.name, pkg.source?.version ?? pkg.version]]);
  if (target.base === 'Red Hat' && !lookups.has(pkg.name)) lookups.set(pkg.name, pkg.version);
  return [...lookups].map(([name, version]) => ({
    ecosystem: target.ecosystem,
    ecosystemBase: target.base,
    release: target.release,
    name: packageNameKey(target.base, name),
    ...versionOf(version),
  }));
}

function versionOf(version: string | undefined): { version?: string } {
  return version === undefined ? {} : { version };
}
