import { apk } from '@customs/versions';

/** One secdb file as read: Alpine's own format, `distroversion` plus `packages[].pkg.secfixes`. */
export interface SecdbFile {
  file: string;
  modifiedAt: Date;
  document: unknown;
}

export interface SecdbConversion {
  /** OSV-shaped records, one per CVE across every file given. */
  records: Array<{ document: Record<string, unknown>; file: string }>;
  /** Entries left out, each with its file: non-CVE ids, fix versions apk cannot read, malformed parts. */
  skipped: Array<{ file: string; problem: string }>;
}

interface Fix {
  release: string;
  pkg: string;
  version: string;
  file: string;
  modifiedAt: Date;
}

const CVE = /^CVE-\d{4}-\d{4,}$/;

/**
 * Converts secdb files the way OSV.dev's Alpine converter does: one record `ALPINE-<CVE>` per CVE,
 * aliased to the CVE, with one affected entry per (release, origin package) — `Alpine:v3.11`, the
 * package being the origin (source) name — and the range `introduced 0, fixed <version>`. A fix
 * version of "0" means the package was never affected, so it adds nothing. Files are merged before
 * converting: the same CVE is fixed in several releases, which arrive as separate files.
 */
export function convertSecdb(files: readonly SecdbFile[]): SecdbConversion {
  const skipped: SecdbConversion['skipped'] = [];
  const byCve = new Map<string, Fix[]>();
  for (const file of files) {
    for (const fix of fixesOf(file, skipped)) {
      const list = byCve.get(fix.cve) ?? [];
      list.push(fix);
      byCve.set(fix.cve, list);
    }
  }
  const records = [...byCve.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([cve, fixes]) => ({
      document: toRecord(cve, fixes),
      file: [...new Set(fixes.map((fix) => fix.file))].join(', '),
    }));
  return { records, skipped };
}

function fixesOf(file: SecdbFile, skipped: SecdbConversion['skipped']): Array<Fix & { cve: string }> {
  const document = asRecord(file.document);
  const release = typeof document?.distroversion === 'string' ? document.distroversion : null;
  if (!release || !Array.isArray(document?.packages)) {
    skipped.push({ file: file.file, problem: 'not an Alpine secdb file: distroversion or packages missing' });
    return [];
  }
  const fixes: Array<Fix & { cve: string }> = [];
  for (const entry of document.packages) {
    const pkg = asRecord(asRecord(entry)?.pkg);
    const name = typeof pkg?.name === 'string' ? pkg.name : null;
    const secfixes = asRecord(pkg?.secfixes);
    if (!name || !secfixes) continue;
    for (const [version, ids] of Object.entries(secfixes)) {
      if (version === '0') continue;
      if (!apk.isValid(version)) {
        skipped.push({ file: file.file, problem: `${name}: fix version "${version}" is not an apk version` });
        continue;
      }
      for (const id of Array.isArray(ids) ? ids : []) {
        // Entries read "CVE-2019-5060 TALOS-2019-0844": the first word is the id.
        const cve = typeof id === 'string' ? (id.trim().split(/\s+/)[0] ?? '') : '';
        if (!CVE.test(cve)) {
          skipped.push({ file: file.file, problem: `${name} ${version}: "${String(id)}" is not a CVE id` });
          continue;
        }
        fixes.push({ cve, release, pkg: name, version, file: file.file, modifiedAt: file.modifiedAt });
      }
    }
  }
  return fixes;
}

function toRecord(cve: string, fixes: readonly Fix[]): Record<string, unknown> {
  const lowest = new Map<string, Fix>();
  for (const fix of fixes) {
    const key = `${fix.pkg}\u0000${fix.release}`;
    const known = lowest.get(key);
    // A CVE listed under two fix versions of one package in one release was fixed by the first.
    if (!known || apk.compare(fix.version, known.version) < 0) lowest.set(key, fix);
  }
  const entries = [...lowest.values()].sort((a, b) =>
    a.pkg === b.pkg ? compareText(a.release, b.release) : compareText(a.pkg, b.pkg),
  );
  const modified = new Date(Math.max(...fixes.map((fix) => fix.modifiedAt.getTime())));
  return {
    id: `ALPINE-${cve}`,
    modified: modified.toISOString(),
    aliases: [cve],
    summary: `${cve} fixed in Alpine ${[...new Set(entries.map((entry) => entry.pkg))].join(', ')}`,
    affected: entries.map((entry) => ({
      package: {
        ecosystem: `Alpine:${entry.release}`,
        name: entry.pkg,
        purl: `pkg:apk/alpine/${entry.pkg}?arch=source`,
      },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: entry.version }] }],
    })),
    references: [{ type: 'ADVISORY', url: `https://security.alpinelinux.org/vuln/${cve}` }],
    database_specific: {
      converted_from: 'Alpine secdb',
      files: [...new Set(entries.map((entry) => entry.file))],
    },
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return isRecord(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
