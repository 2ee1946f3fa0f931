import type { Distro } from '../../package.js';
import type { ParsedDistro } from './parse-os-release.js';

/** `etc/alpine-release`: the version alone, e.g. `3.19.1`, as Alpine's os-release VERSION_ID writes it. */
export function parseAlpineRelease(text: string): ParsedDistro {
  const version = firstLine(text);
  if (!version) return { distro: undefined, warnings: ['alpine-release is empty'] };
  return { distro: { id: 'alpine', versionId: version, codename: null, prettyName: null }, warnings: [] };
}

/**
 * `etc/debian_version`: `12.4` on a stable release, `trixie/sid` on testing and unstable (which have
 * no version number yet). A point release keeps only its major number, because Debian's os-release
 * VERSION_ID (and its security tracker) name the release by that number alone: `12.4` → `12`.
 */
export function parseDebianVersion(text: string): ParsedDistro {
  const line = firstLine(text);
  const numbered = /^(\d+)(?:\.\d+)*$/.exec(line);
  if (numbered) {
    return { distro: debian(numbered[1] ?? null, null), warnings: [] };
  }
  const rolling = /^([a-z][a-z0-9-]*)\/sid$/.exec(line);
  if (rolling) return { distro: debian(null, rolling[1] ?? null), warnings: [] };
  if (line === 'sid') return { distro: debian(null, 'sid'), warnings: [] };
  return { distro: undefined, warnings: [`debian_version "${line}" is neither a version nor a codename`] };
}

function debian(versionId: string | null, codename: string | null): Distro {
  return { id: 'debian', versionId, codename, prettyName: null };
}

/** Red Hat family names as `<name> release <version> (<codename>)` writes them, mapped to os-release IDs. */
const RED_HAT_FAMILY: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Red Hat Enterprise Linux\b/, 'rhel'],
  [/^CentOS\b/, 'centos'],
  [/^Rocky Linux\b/, 'rocky'],
  [/^AlmaLinux\b/, 'almalinux'],
  [/^Fedora\b/, 'fedora'],
  [/^Scientific Linux\b/, 'scientific'],
];

/**
 * `etc/redhat-release` and its siblings (`centos-release`, `rocky-release`, ...): one line such as
 * `Rocky Linux release 8.4 (Green Obsidian)`. The version is kept as written (`7.6.1810` on CentOS).
 */
export function parseRedHatRelease(text: string): ParsedDistro {
  const line = firstLine(text);
  const match = /^(.+?)\s+release\s+(\S+)(?:\s+\(([^)]*)\))?/.exec(line);
  const name = match?.[1];
  const id = name === undefined ? undefined : RED_HAT_FAMILY.find(([pattern]) => pattern.test(name))?.[1];
  if (!match || id === undefined) {
    return { distro: undefined, warnings: [`unrecognised release line "${line}"`] };
  }
  return {
    distro: { id, versionId: match[2] ?? null, codename: match[3]?.trim() || null, prettyName: line },
    warnings: [],
  };
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}
