// An independent reading of the real OSV records in test/fixtures/osv, for end-to-end tests: which
// records affect a package version, and their fixed versions. It orders versions with the reference
// libraries (node-semver, @renovatebot/pep440) and walks events as the OSV schema's "Evaluation"
// section says — a second implementation, so the scanner's own matcher is not checked against itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';

export const OSV_FIXTURES = fileURLToPath(new URL('../../../test/fixtures/osv/', import.meta.url));

type Event = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };
interface OsvRecord {
  id: string;
  aliases?: string[];
  withdrawn?: string;
  affected?: Array<{
    package?: { ecosystem: string; name: string };
    ranges?: Array<{ type: string; events: Event[] }>;
    versions?: string[];
  }>;
}

export interface ExpectedAdvisory {
  id: string;
  aliases: string[];
  /** Lowest fixed version above the installed one in the ranges that affect it; null when none. */
  fixed: string | null;
}

type Compare = (a: string, b: string) => number;
export type OracleEcosystem = 'npm' | 'Go' | 'PyPI';

const ORDER: Record<
  string,
  { compare: Compare; normalizeName(name: string): string; installed(v: string): string }
> = {
  npm: { compare: (a, b) => semver.compare(a, b), normalizeName: (n) => n, installed: (v) => v },
  Go: {
    compare: (a, b) => semver.compare(a, b),
    normalizeName: (n) => n,
    installed: (v) => v.replace(/^v/, ''),
  },
  PyPI: {
    compare: (a, b) => pep440.compare(a, b),
    normalizeName: (n) => n.toLowerCase().replace(/[-_.]+/g, '-'),
    installed: (v) => v,
  },
};

/** Every record in `test/fixtures/osv/<dir>` (JSON and PyPA's YAML). */
export function loadRecords(dir: string): OsvRecord[] {
  const folder = join(OSV_FIXTURES, dir);
  return readdirSync(folder)
    .filter((file) => /\.(json|ya?ml)$/.test(file))
    .map((file) => {
      const text = readFileSync(join(folder, file), 'utf8');
      return (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as OsvRecord;
    });
}

/** The records of `ecosystem` that affect `name` at `version`. */
export function expectedAdvisories(
  records: readonly OsvRecord[],
  ecosystem: OracleEcosystem,
  name: string,
  version: string,
): ExpectedAdvisory[] {
  const order = ORDER[ecosystem];
  if (!order) throw new Error(`no oracle for ${ecosystem}`);
  const installed = order.installed(version);
  const wanted = order.normalizeName(name);
  const found: ExpectedAdvisory[] = [];
  for (const record of records) {
    if (record.withdrawn) continue;
    const entries = (record.affected ?? []).filter(
      (entry) => entry.package?.ecosystem === ecosystem && order.normalizeName(entry.package.name) === wanted,
    );
    let affected = false;
    const fixes: string[] = [];
    for (const entry of entries) {
      if (entry.versions?.includes(installed)) affected = true;
      for (const range of entry.ranges ?? []) {
        if (range.type === 'GIT') continue;
        const outcome = evaluate(range.events, installed, order.compare);
        if (outcome.affected) {
          affected = true;
          if (outcome.fixed) fixes.push(outcome.fixed);
        }
      }
    }
    if (affected) {
      const fixed = fixes.sort(order.compare)[0] ?? null;
      found.push({ id: record.id, aliases: record.aliases ?? [], fixed });
    }
  }
  return found;
}

/** The reference libraries' order (Go versions with or without their `v`). */
export function compareVersions(ecosystem: OracleEcosystem, a: string, b: string): number {
  const order = ORDER[ecosystem];
  if (!order) throw new Error(`no oracle for ${ecosystem}`);
  return order.compare(order.installed(a), order.installed(b));
}

/** OSV "Evaluation": events sorted by version; introduced sets, fixed clears, last_affected clears above it. */
function evaluate(
  events: readonly Event[],
  version: string,
  compare: Compare,
): { affected: boolean; fixed: string | null } {
  const key = (event: Event) => event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';
  const sorted = [...events].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === '0') return -1;
    if (y === '0') return 1;
    return compare(x, y);
  });
  let affected = false;
  for (const event of sorted) {
    if (
      event.introduced !== undefined &&
      (event.introduced === '0' || compare(version, event.introduced) >= 0)
    )
      affected = true;
    else if (event.fixed !== undefined && compare(version, event.fixed) >= 0) affected = false;
    else if (event.last_affected !== undefined && compare(version, event.last_affected) > 0) affected = false;
  }
  const limits = events.filter((event) => event.limit !== undefined && event.limit !== '*');
  if (limits.length && !limits.some((event) => compare(version, event.limit as string) < 0)) affected = false;
  const fixed =
    sorted.find((event) => event.fixed !== undefined && compare(event.fixed, version) > 0)?.fixed ?? null;
  return { affected, fixed };
}
