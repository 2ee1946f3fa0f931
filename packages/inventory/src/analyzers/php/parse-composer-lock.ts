import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import { readJson } from '../read-json.js';
import { isRecord } from '../untyped.js';
import { composerPackage } from './composer-package.js';

/**
 * composer.lock: the packages Composer resolved. Only `packages`; `packages-dev` is what
 * `composer install --no-dev` leaves out of production images, as Trivy also reads it.
 */
export function parseComposerLock(text: string, path: string): FoundPackage[] {
  const lock = readJson(text, path, 'COMPOSER_FILE_INVALID');
  const packages = isRecord(lock) ? lock['packages'] : undefined;
  if (!Array.isArray(packages))
    throw new PackageFileError('COMPOSER_FILE_INVALID', path, 'no `packages` list');
  return packages.flatMap((entry) => composerPackage(entry, path) ?? []);
}
