import { UnknownEcosystemError } from './errors.js';
import {
  defineScheme,
  type ParsedVersion,
  type SchemeDefinition,
  type SchemeId,
  type VersionScheme,
} from './scheme.js';

/**
 * Every OSV ecosystem with a version scheme, by its OSV name, and the scheme that orders its
 * versions: the one list both ways of getting a scheme read (`ecosystems.ts` with every scheme loaded,
 * `on-demand.ts` loading only the one asked for). No scheme module is imported here.
 */
const ECOSYSTEM_SCHEMES: ReadonlyArray<readonly [string, SchemeId]> = [
  ['Debian', 'deb'],
  ['Ubuntu', 'deb'],
  ['Alpine', 'apk'],
  ['Wolfi', 'apk'],
  ['Chainguard', 'apk'],
  ['Red Hat', 'rpm'],
  ['Rocky Linux', 'rpm'],
  ['AlmaLinux', 'rpm'],
  ['SUSE', 'rpm'],
  ['openSUSE', 'rpm'],
  ['Azure Linux', 'rpm'],
  ['Photon OS', 'rpm'],
  ['Mageia', 'rpm'],
  ['openEuler', 'rpm'],
  ['PyPI', 'pep440'],
  ['Maven', 'maven'],
  ['RubyGems', 'gem'],
  ['NuGet', 'nuget'],
  ['npm', 'semver'],
  ['crates.io', 'semver'],
  ['Hex', 'semver'],
  ['Go', 'go'],
  ['Packagist', 'packagist'],
];

/** The OSV ecosystem names `schemeForEcosystem` knows, in OSV's spelling. */
export const SUPPORTED_ECOSYSTEMS: readonly string[] = ECOSYSTEM_SCHEMES.map(([name]) => name);

/** The ecosystems with node-semver's loose mode. */
const LOOSE_ECOSYSTEMS = ECOSYSTEM_SCHEMES.filter(([, id]) => id === 'semver').map(([name]) => name);

export interface EcosystemEntry {
  /** The OSV spelling. */
  name: string;
  scheme: SchemeId;
}

const byLowerName = new Map<string, EcosystemEntry>(
  ECOSYSTEM_SCHEMES.map(([name, scheme]) => [name.toLowerCase(), { name, scheme }]),
);
const schemes = new Map<string, VersionScheme>();
const looseSchemes = new Map<string, VersionScheme>();

/**
 * The ecosystem the caller wrote: any case, and OSV's release suffixes dropped ("Debian:12",
 * "Alpine:v3.19", "Ubuntu:22.04:LTS", "Red Hat:enterprise_linux:9::appstream").
 * Throws UnknownEcosystemError listing the supported names.
 */
export function ecosystemEntry(ecosystem: string): EcosystemEntry {
  const base = ecosystem.split(':', 1)[0]?.trim().toLowerCase() ?? '';
  const entry = byLowerName.get(base);
  if (!entry) throw new UnknownEcosystemError(ecosystem, SUPPORTED_ECOSYSTEMS);
  return entry;
}

/** Like ecosystemEntry, for an ecosystem with a loose mode (npm, crates.io, Hex); UnknownEcosystemError for any other. */
export function looseEcosystemEntry(ecosystem: string): EcosystemEntry {
  const entry = ecosystemEntry(ecosystem);
  if (entry.scheme !== 'semver') throw new UnknownEcosystemError(`${ecosystem} (loose)`, LOOSE_ECOSYSTEMS);
  return entry;
}

/** The OSV ecosystem name for what the caller wrote (see ecosystemEntry). */
export function canonicalEcosystem(ecosystem: string): string {
  return ecosystemEntry(ecosystem).name;
}

/**
 * The one scheme object of an ecosystem (or of its loose mode), made from `definition` the first time
 * it is asked for, whichever way the caller got the definition; its errors name the ecosystem.
 */
export function ecosystemScheme(
  ecosystem: EcosystemEntry,
  definition: SchemeDefinition<ParsedVersion>,
  mode: 'strict' | 'loose' = 'strict',
): VersionScheme {
  const cache = mode === 'loose' ? looseSchemes : schemes;
  let scheme = cache.get(ecosystem.name);
  if (!scheme) {
    scheme = defineScheme(definition, ecosystem.name);
    cache.set(ecosystem.name, scheme);
  }
  return scheme;
}
