import path from 'node:path';
import type { AnalyzedPackage } from '../layer-analysis.js';

/** Files that declare what should be installed, as opposed to metadata of what is installed. */
const DECLARATION_FILE =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|Pipfile\.lock|poetry\.lock|uv\.lock|requirements[^/]*\.txt|Gemfile\.lock|Cargo\.lock|composer\.lock|packages\.lock\.json|gradle\.lockfile|go\.mod)$/;

/**
 * An app directory often has both a lockfile and the packages it installed (package-lock.json beside
 * node_modules). Both name the same package; the installed copy is the better witness, so a declared
 * package is dropped when the same package is installed beneath the declaring file's directory.
 */
export function dropDeclaredWhenInstalled(packages: readonly AnalyzedPackage[]): Set<AnalyzedPackage> {
  const installedAt = new Map<string, string[]>();
  for (const pkg of packages) {
    if (DECLARATION_FILE.test(pkg.path)) continue;
    const key = identity(pkg);
    installedAt.set(key, [...(installedAt.get(key) ?? []), pkg.path]);
  }
  const kept = new Set<AnalyzedPackage>();
  for (const pkg of packages) {
    if (!DECLARATION_FILE.test(pkg.path) || !installedBeneath(pkg, installedAt)) kept.add(pkg);
  }
  return kept;
}

function installedBeneath(pkg: AnalyzedPackage, installedAt: ReadonlyMap<string, string[]>): boolean {
  const dir = path.posix.dirname(pkg.path);
  const prefix = dir === '.' ? '' : dir + '/';
  return (installedAt.get(identity(pkg)) ?? []).some((installed) => installed.startsWith(prefix));
}

function identity(pkg: AnalyzedPackage): string {
  return [pkg.type, pkg.name, pkg.version].join('\0');
}
