import type { FoundPackage } from '../../package.js';
import { composerPackage } from './composer-package.js';
import { ComposerFileError } from './errors.js';

/**
 * composer.lock: the packages Composer resolved. Only `packages`; `packages-dev` is what
 * `composer install --no-dev` leaves out of production images, as Trivy also reads it.
 */
export function parseComposerLock(text: string, path: string): FoundPackage[] {
  const lock = parseJson(text, path);
  const packages: unknown =
    typeof lock === 'object' && lock !== null ? Reflect.get(lock, 'packages') : undefined;
  if (!Array.isArray(packages)) throw new ComposerFileError(path, 'no `packages` list');
  return packages.flatMap((entry) => composerPackage(entry, path) ?? []);
}

export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ComposerFileError(path, 'not valid JSON', error);
  }
}
