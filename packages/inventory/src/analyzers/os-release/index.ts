import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import type { Distro } from '../../package.js';
import { parseLsbRelease, parseOsRelease, type ParsedDistro } from './parse-os-release.js';
import { parseAlpineRelease, parseDebianVersion, parseRedHatRelease } from './parse-release-line.js';

const DEBIAN_VERSION = 'etc/debian_version';

/**
 * Where a distribution says what it is, best first. `etc/os-release` is often a symlink to
 * `../usr/lib/os-release`, so both are asked for and the link resolves inside the layer's files.
 * lsb-release comes before debian_version because Ubuntu ships both and debian_version there names
 * the Debian release Ubuntu forked from.
 */
const SOURCES: ReadonlyArray<readonly [path: string, parse: (text: string) => ParsedDistro]> = [
  ['etc/os-release', parseOsRelease],
  ['usr/lib/os-release', parseOsRelease],
  ['etc/alpine-release', parseAlpineRelease],
  ['etc/centos-release', parseRedHatRelease],
  ['etc/rocky-release', parseRedHatRelease],
  ['etc/almalinux-release', parseRedHatRelease],
  ['etc/fedora-release', parseRedHatRelease],
  ['etc/redhat-release', parseRedHatRelease],
  ['etc/lsb-release', parseLsbRelease],
  [DEBIAN_VERSION, parseDebianVersion],
];

const REQUIRED = new Set(SOURCES.map(([path]) => path));

export const osRelease = {
  id: 'os-release',
  version: 1,
  kind: 'os',
  required: (path, _info) => REQUIRED.has(path),
  // These files are a few hundred bytes; anything bigger is not one of them.
  maxFileSize: 64 * 1024,
  analyze: (files, _context) => identifyDistro(files),
} satisfies Analyzer;

function identifyDistro(files: FileSet): AnalyzerResult {
  const warnings: string[] = [];
  for (const [path, parse] of SOURCES) {
    const text = files.text(path);
    if (text === undefined) continue;
    const parsed = parse(text);
    warnings.push(...parsed.warnings.map((warning) => `${path}: ${warning}`));
    if (parsed.distro) {
      return { packages: [], distro: supplementDebian(parsed.distro, files), warnings };
    }
  }
  return warnings.length ? { packages: [], warnings } : { packages: [] };
}

/**
 * Distroless Debian images ship an os-release with ID=debian but no VERSION_ID; their debian_version
 * still carries the number, so take it from there.
 */
function supplementDebian(distro: Distro, files: FileSet): Distro {
  if (distro.id !== 'debian' || distro.versionId !== null) return distro;
  const text = files.text(DEBIAN_VERSION);
  const fromFile = text === undefined ? undefined : parseDebianVersion(text).distro;
  if (!fromFile) return distro;
  return {
    ...distro,
    versionId: fromFile.versionId,
    codename: distro.codename ?? fromFile.codename ?? null,
  };
}
