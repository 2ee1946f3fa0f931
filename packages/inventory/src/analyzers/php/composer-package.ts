import type { FoundPackage } from '../../package.js';

/**
 * One entry of composer.lock's `packages` or installed.json: `name` (vendor/name) and `version` as
 * Composer wrote it (a `v` prefix included, as Packagist lists it), `license` a string or a list.
 * Null for entries without both, or for platform packages (php, ext-*, lib-*) that are no code.
 */
export function composerPackage(entry: unknown, path: string): FoundPackage | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const name: unknown = Reflect.get(entry, 'name');
  const version: unknown = Reflect.get(entry, 'version');
  if (typeof name !== 'string' || typeof version !== 'string' || !name.includes('/')) return null;
  const licenses = licensesOf(Reflect.get(entry, 'license'));
  return { type: 'composer', name, version, ...(licenses.length ? { licenses } : {}), path };
}

function licensesOf(license: unknown): string[] {
  if (typeof license === 'string') return license ? [license] : [];
  if (!Array.isArray(license)) return [];
  return license.filter((item): item is string => typeof item === 'string' && item !== '');
}
