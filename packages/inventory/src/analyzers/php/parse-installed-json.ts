import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import { readJson } from '../read-json.js';
import { isRecord } from '../untyped.js';
import { composerPackage } from './composer-package.js';

/**
 * `vendor/composer/installed.json`: what Composer installed into the vendor directory. Composer 1
 * writes a bare array of packages, Composer 2 `{"packages": [...], "dev": bool,
 * "dev-package-names": [...]}`. Every listed package is on disk, development ones included (an
 * install without --no-dev puts them there), so all are reported.
 */
export function parseInstalledJson(text: string, path: string): FoundPackage[] {
  const document = readJson(text, path, 'COMPOSER_FILE_INVALID');
  const packages = Array.isArray(document) ? document : isRecord(document) ? document['packages'] : undefined;
  if (!Array.isArray(packages))
    throw new PackageFileError('COMPOSER_FILE_INVALID', path, 'neither a package list nor `packages`');
  return packages.flatMap((entry) => composerPackage(entry, path) ?? []);
}
