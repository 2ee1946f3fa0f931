import { PackageURL } from 'packageurl-js';
import type { Distro, FoundPackage } from './package.js';

type Qualifiers = Record<string, string>;

/** The purl of a package placed in an image; OS packages take their namespace and `distro` from it. */
export function toPurl(pkg: FoundPackage, distro: Distro | null): string {
  const { namespace, name, version, qualifiers } = purlParts(pkg, distro);
  const cleanQualifiers = Object.fromEntries(Object.entries(qualifiers).filter(([, value]) => value !== ''));
  return new PackageURL(
    pkg.type,
    namespace ?? undefined,
    name,
    version,
    Object.keys(cleanQualifiers).length ? cleanQualifiers : undefined,
    undefined,
  ).toString();
}

interface PurlParts {
  namespace: string | null;
  name: string;
  version: string;
  qualifiers: Qualifiers;
}

function purlParts(pkg: FoundPackage, distro: Distro | null): PurlParts {
  const arch: Qualifiers = pkg.arch ? { arch: pkg.arch } : {};
  switch (pkg.type) {
    case 'deb':
    case 'apk':
      return {
        namespace: distro?.id ?? defaultOsNamespace(pkg.type),
        name: pkg.name,
        version: pkg.version,
        qualifiers: { ...arch, ...distroQualifier(distro) },
      };
    case 'rpm': {
      const { epoch, rest } = splitEpoch(pkg.version);
      return {
        namespace: distro?.id ?? null,
        name: pkg.name,
        version: rest,
        qualifiers: { ...arch, ...(epoch ? { epoch } : undefined), ...distroQualifier(distro) },
      };
    }
    case 'npm':
      return { ...splitLast(pkg.name, '/'), version: pkg.version, qualifiers: {} };
    case 'pypi':
      return { namespace: null, name: normalizePypiName(pkg.name), version: pkg.version, qualifiers: {} };
    case 'golang':
    case 'composer':
      return { ...splitLast(pkg.name, '/'), version: pkg.version, qualifiers: {} };
    case 'maven':
      return { ...splitLast(pkg.name, ':'), version: pkg.version, qualifiers: {} };
    case 'gem':
    case 'cargo':
    case 'nuget':
    case 'generic':
      return { namespace: null, name: pkg.name, version: pkg.version, qualifiers: {} };
  }
}

/** PEP 503: lower case, runs of `-`, `_` and `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function defaultOsNamespace(type: 'deb' | 'apk'): string {
  return type === 'deb' ? 'debian' : 'alpine';
}

function distroQualifier(distro: Distro | null): Qualifiers {
  if (!distro) return {};
  return { distro: distro.versionId ? `${distro.id}-${distro.versionId}` : distro.id };
}

function splitEpoch(version: string): { epoch: string | null; rest: string } {
  const match = /^(\d+):(.*)$/.exec(version);
  return match ? { epoch: match[1] ?? null, rest: match[2] ?? version } : { epoch: null, rest: version };
}

function splitLast(name: string, separator: string): { namespace: string | null; name: string } {
  const at = name.lastIndexOf(separator);
  return at <= 0 ? { namespace: null, name } : { namespace: name.slice(0, at), name: name.slice(at + 1) };
}
