import type { FoundPackage } from '../../package.js';

export interface LockfileOptions {
  /**
   * Report packages only development needs. Off by default, as in Trivy's image scans: an image
   * runs production code, and dev-only tools mostly are not installed in it.
   */
  includeDev: boolean;
}

export const PRODUCTION_ONLY: LockfileOptions = { includeDev: false };

/**
 * One package per name@version (a lockfile repeats a package for each place it is installed), sorted;
 * a copy that records licenses wins over one that does not.
 */
export function distinctPackages(packages: Iterable<FoundPackage>): FoundPackage[] {
  const byId = new Map<string, FoundPackage>();
  for (const pkg of packages) {
    const id = `${pkg.name}@${pkg.version}`;
    const kept = byId.get(id);
    if (!kept || (!kept.licenses && pkg.licenses)) byId.set(id, pkg);
  }
  return [...byId.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
