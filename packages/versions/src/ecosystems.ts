import { UnknownEcosystemError } from './errors.js';
import { defineScheme, type ParsedVersion, type SchemeDefinition, type VersionScheme } from './scheme.js';
import { apkDefinition } from './schemes/apk.js';
import { debDefinition } from './schemes/deb.js';
import { gemDefinition } from './schemes/gem.js';
import { goDefinition } from './schemes/go.js';
import { mavenDefinition } from './schemes/maven.js';
import { nugetDefinition } from './schemes/nuget.js';
import { packagistDefinition } from './schemes/packagist.js';
import { pep440Definition } from './schemes/pep440.js';
import { rpmDefinition } from './schemes/rpm.js';
import { semverDefinition, semverLooseDefinition } from './schemes/semver.js';

/** Every OSV ecosystem with a version scheme, by its OSV name. */
const ECOSYSTEM_DEFINITIONS: ReadonlyArray<readonly [string, SchemeDefinition<ParsedVersion>]> = [
  ['Debian', debDefinition],
  ['Ubuntu', debDefinition],
  ['Alpine', apkDefinition],
  ['Wolfi', apkDefinition],
  ['Chainguard', apkDefinition],
  ['Red Hat', rpmDefinition],
  ['Rocky Linux', rpmDefinition],
  ['AlmaLinux', rpmDefinition],
  ['SUSE', rpmDefinition],
  ['openSUSE', rpmDefinition],
  ['Azure Linux', rpmDefinition],
  ['Photon OS', rpmDefinition],
  ['Mageia', rpmDefinition],
  ['openEuler', rpmDefinition],
  ['PyPI', pep440Definition],
  ['Maven', mavenDefinition],
  ['RubyGems', gemDefinition],
  ['NuGet', nugetDefinition],
  ['npm', semverDefinition],
  ['crates.io', semverDefinition],
  ['Hex', semverDefinition],
  ['Go', goDefinition],
  ['Packagist', packagistDefinition],
];

/** The OSV ecosystem names `schemeForEcosystem` knows, in OSV's spelling. */
export const SUPPORTED_ECOSYSTEMS: readonly string[] = ECOSYSTEM_DEFINITIONS.map(([name]) => name);

const byLowerName = new Map(
  ECOSYSTEM_DEFINITIONS.map(([name, definition]) => [name.toLowerCase(), { name, definition }]),
);
const schemes = new Map<string, VersionScheme>();
const looseSchemes = new Map<string, VersionScheme>();

/**
 * The OSV ecosystem name for what the caller wrote: any case, and OSV's release suffixes dropped
 * ("Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS", "Red Hat:enterprise_linux:9::appstream").
 * Throws UnknownEcosystemError listing the supported names.
 */
export function canonicalEcosystem(ecosystem: string): string {
  return lookup(ecosystem).name;
}

function lookup(ecosystem: string): { name: string; definition: SchemeDefinition<ParsedVersion> } {
  const base = ecosystem.split(':', 1)[0]?.trim().toLowerCase() ?? '';
  const entry = byLowerName.get(base);
  if (!entry) throw new UnknownEcosystemError(ecosystem, SUPPORTED_ECOSYSTEMS);
  return entry;
}

/** The version scheme of an OSV ecosystem; its errors name the ecosystem. One object per ecosystem. */
export function schemeForEcosystem(ecosystem: string): VersionScheme {
  const { name, definition } = lookup(ecosystem);
  let scheme = schemes.get(name);
  if (!scheme) {
    scheme = defineScheme(definition, name);
    schemes.set(name, scheme);
  }
  return scheme;
}

/**
 * node-semver's loose mode for npm-style ecosystems (npm, crates.io, Hex): for versions published
 * before npm was strict ("1.2.3beta", "=v1.2.3"). Throws UnknownEcosystemError for any other.
 */
export function looseSchemeForEcosystem(ecosystem: string): VersionScheme {
  const { name, definition } = lookup(ecosystem);
  if (definition !== semverDefinition) {
    throw new UnknownEcosystemError(`${ecosystem} (loose)`, ['npm', 'crates.io', 'Hex']);
  }
  let scheme = looseSchemes.get(name);
  if (!scheme) {
    scheme = defineScheme(semverLooseDefinition, name);
    looseSchemes.set(name, scheme);
  }
  return scheme;
}
