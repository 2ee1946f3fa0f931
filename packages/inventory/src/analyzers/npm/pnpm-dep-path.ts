import { splitNameAt } from './npm-descriptor.js';

/**
 * Name and version from a pnpm dependency path, the key of `packages`:
 * v5 `/name/1.0.0_peer@2.0.0` (or with a registry host in front), v6 `/name@1.0.0(peer@2.0.0)`,
 * v9 `name@1.0.0` (peers live in `snapshots`). Null when the key does not end in a registry version,
 * e.g. a tarball URL or a git reference, whose entries carry `name` and `version` fields instead.
 */
export function parseDependencyPath(
  key: string,
  lockfileVersion: number,
): { name: string; version: string } | null {
  const parsed = lockfileVersion < 6 ? splitSlashForm(key) : splitNameAt(key.replace(/^\//, ''));
  if (!parsed) return null;
  const version = withoutPeers(parsed.rest, lockfileVersion);
  return /^\d+\.\d+\.\d+/.test(version) ? { name: parsed.name, version } : null;
}

/**
 * v6+ suffix peers in parentheses, v5 after an underscore; neither can occur in a semver. Only v5
 * keys are cut at `_`: a v9 tarball URL may contain one.
 */
export function withoutPeers(reference: string, lockfileVersion: number): string {
  const at = reference.search(lockfileVersion < 6 ? /[(_]/ : /\(/);
  return at === -1 ? reference : reference.slice(0, at);
}

function splitSlashForm(key: string): { name: string; rest: string } | null {
  // "/lodash/4.17.10" and "registry.npmjs.org/lodash/4.17.10" both name lodash 4.17.10.
  const withoutHost = key.slice(key.indexOf('/') + 1);
  const segments = withoutHost.split('/');
  const scoped = segments[0]?.startsWith('@') ?? false;
  const nameLength = scoped ? 2 : 1;
  if (segments.length !== nameLength + 1) return null;
  return { name: segments.slice(0, nameLength).join('/'), rest: segments[nameLength] ?? '' };
}
