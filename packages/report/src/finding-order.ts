import { severityRank, type Finding } from '@customs/model';

type Ordered = Pick<Finding, 'id' | 'severity' | 'package' | 'path'>;

/**
 * Most severe first, then by package (name, version, type, file), then by id: the order people
 * triage in. Plain code-point comparison keeps it the same on every machine and locale.
 */
export function compareFindings(a: Ordered, b: Ordered): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.package.name, b.package.name) ||
    compareText(a.package.version, b.package.version) ||
    compareText(a.package.type, b.package.type) ||
    compareText(a.path, b.path) ||
    compareText(a.id, b.id)
  );
}

export function sortFindings<T extends Ordered>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
