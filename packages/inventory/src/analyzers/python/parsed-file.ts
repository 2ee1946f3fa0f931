import type { FoundPackage } from '../../package.js';

export interface LockfileOptions {
  /** Report packages only development needs (Pipfile `develop`, poetry's non-main groups, uv dev groups). */
  includeDev: boolean;
}

export const PRODUCTION_ONLY: LockfileOptions = { includeDev: false };

const SHOWN = 5;

/** One package per name@version, sorted, so output is stable whatever the input order. */
export function distinctPackages(packages: Iterable<FoundPackage>): FoundPackage[] {
  const byId = new Map<string, FoundPackage>();
  for (const pkg of packages) {
    const id = `${pkg.name}@${pkg.version}`;
    if (!byId.has(id)) byId.set(id, pkg);
  }
  return [...byId.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version));
}

/** One warning for all the entries of a file that were left out for the same reason, naming a few. */
export function skippedWarning(path: string, entries: readonly string[], reason: string): string[] {
  if (entries.length === 0) return [];
  const shown = entries.slice(0, SHOWN).join(', ');
  const more = entries.length > SHOWN ? `, and ${entries.length - SHOWN} more` : '';
  return [
    `${path}: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} ${reason}: ${shown}${more}`,
  ];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
