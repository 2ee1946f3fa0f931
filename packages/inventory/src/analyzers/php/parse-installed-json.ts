import type { FoundPackage } from '../../package.js';
import { composerPackage } from './composer-package.js';
import { ComposerFileError } from './errors.js';
import { parseJson } from './parse-composer-lock.js';

/**
 * `vendor/composer/installed.json`: what Composer installed into the vendor directory. Composer 1
 * writes a bare array of packages, Composer 2 `{"packages": [...], "dev": bool,
 * "dev-package-names": [...]}`. Every listed package is on disk, development ones included (an
 * install without --no-dev puts them there), so all are reported.
 */
export function parseInstalledJson(text: string, path: string): FoundPackage[] {
  const document = parseJson(text, path);
  const packages: unknown = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null
      ? Reflect.get(document, 'packages')
      : undefined;
  if (!Array.isArray(packages)) throw new ComposerFileError(path, 'neither a package list nor `packages`');
  return packages.flatMap((entry) => composerPackage(entry, path) ?? []);
}
