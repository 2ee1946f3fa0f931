import path from 'node:path';

/**
 * Installed distributions: `<name>-<version>.dist-info/METADATA` (wheels), `<name>.egg-info/PKG-INFO`
 * (setuptools), `<name>.egg-info` as a single file (Debian's python3-* packages ship this form in
 * `usr/lib/python3/dist-packages`) and `<name>.egg/EGG-INFO/PKG-INFO` (unzipped eggs).
 */
export function isInstalledMetadata(filePath: string): boolean {
  const name = path.posix.basename(filePath);
  const folder = path.posix.basename(path.posix.dirname(filePath));
  if (name === 'METADATA') return folder.endsWith('.dist-info');
  if (name === 'PKG-INFO') return folder.endsWith('.egg-info') || folder === 'EGG-INFO';
  return name.endsWith('.egg-info');
}

export const LOCKFILE_NAMES: ReadonlySet<string> = new Set(['Pipfile.lock', 'poetry.lock', 'uv.lock']);

const REQUIREMENTS = /^requirements[^/]*\.txt$/;

/** Folders whose files belong to installed packages, not to the project that installs them. */
const INSTALLED_TREES = new Set(['site-packages', 'dist-packages', 'node_modules']);

/** A project's Pipfile.lock, poetry.lock, uv.lock or requirements*.txt, outside installed package trees. */
export function isProjectLockfile(filePath: string): boolean {
  const name = path.posix.basename(filePath);
  if (!LOCKFILE_NAMES.has(name) && !REQUIREMENTS.test(name)) return false;
  return !filePath.split('/').some((segment) => INSTALLED_TREES.has(segment));
}
