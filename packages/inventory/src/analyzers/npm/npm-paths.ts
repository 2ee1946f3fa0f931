import path from 'node:path';

const LOCKFILE_NAMES: ReadonlySet<string> = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
]);

/**
 * `node_modules/<name>/package.json` or `node_modules/@scope/<name>/package.json`: the manifest of an
 * installed package. Other package.json files under node_modules (a package's own test fixtures,
 * `{"type":"module"}` markers in sub-folders) are not installed packages and are not read.
 */
export function isInstalledPackageJson(filePath: string): boolean {
  const segments = filePath.split('/');
  const count = segments.length;
  if (segments[count - 1] !== 'package.json') return false;
  const folder = segments[count - 2] ?? '';
  if (folder.startsWith('.') || folder.startsWith('@')) return false;
  if (segments[count - 3] === 'node_modules') return true;
  return (segments[count - 3] ?? '').startsWith('@') && segments[count - 4] === 'node_modules';
}

/**
 * A project's lockfile, outside node_modules: packages publish their authors' lockfiles, which say
 * nothing about what this image installed.
 */
export function isProjectLockfile(filePath: string): boolean {
  return LOCKFILE_NAMES.has(path.posix.basename(filePath)) && !inNodeModules(filePath);
}

/** A project's own package.json, outside node_modules (read to tell yarn's development packages apart). */
export function isProjectManifest(filePath: string): boolean {
  return path.posix.basename(filePath) === 'package.json' && !inNodeModules(filePath);
}

function inNodeModules(filePath: string): boolean {
  return filePath.split('/').includes('node_modules');
}
