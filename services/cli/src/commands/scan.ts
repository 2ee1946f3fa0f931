import { parseArgs } from 'node:util';
import { matchInventory } from '@customs/matcher';
import type { Finding } from '@customs/model';
import {
  parseScanFormat,
  parseSeverities,
  renderScan,
  toInventoryDocument,
  toScanDocument,
  toVulnerabilityData,
  type FindingFilter,
  type ScanDocument,
} from '@customs/report';
import { createVulnDbReader } from '@customs/vulndb';
import { CustomsError, isCustomsError } from '@customs/errors';
import { DATABASE_OPTIONS, databaseFlags, withDatabase } from '../database-options.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { TARGET_OPTIONS } from '../target-options.js';
import { toolInfo } from '../tool-info.js';
import { inventoryImages } from './inventory.js';

export const SCAN_USAGE = `usage: customs scan <image-ref | oci-layout-dir[:tag] | archive.tar | rootfs-dir>
         [--format table|json|sarif|cyclonedx|spdx] [--severity CRITICAL,HIGH,...] [--ignore-unfixed]
         [--exit-code N] [--include-os-owned] [--db postgres://… | --db-dir PATH]
         [--platform os/arch[/variant]|all] [--username U --password P] [--insecure-registry HOST]

Findings come from the vulnerability database (customs db import); with neither --db nor --db-dir it is
DATABASE_URL, else the embedded one in $XDG_CACHE_HOME/customs/db. --exit-code N: exit N when findings
remain after --severity/--ignore-unfixed, or when the scan is incomplete (a package database, lockfile or
manifest it needed could not be read: too big, unreadable, unparseable), else 0. Language packages owned by
an OS package are covered by its distro's advisories and not matched upstream unless --include-os-owned.
`;

const SINGLE_DOCUMENT_FORMATS = ['sarif', 'cyclonedx', 'spdx'];

/** Inventory, then findings against the vulnerability data as it is now. */
export async function scanCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      ...DATABASE_OPTIONS,
      format: { type: 'string', default: 'table' },
      severity: { type: 'string' },
      'ignore-unfixed': { type: 'boolean' },
      'exit-code': { type: 'string' },
      'include-os-owned': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(SCAN_USAGE);
    return EXIT.ok;
  }
  const [target, ...extra] = positionals;
  if (!target || extra.length) throw new UsageError(`expected one target\n${SCAN_USAGE}`);
  const format = asUsage(() => parseScanFormat(values.format));
  const filter: FindingFilter = {
    ...(values.severity !== undefined && {
      severities: asUsage(() => parseSeverities(values.severity as string)),
    }),
    ignoreUnfixed: values['ignore-unfixed'] === true,
  };
  const exitCode = parseExitCode(values['exit-code']);
  if (SINGLE_DOCUMENT_FORMATS.includes(format) && values.platform === 'all') {
    throw new UsageError(`--format ${format} describes one image: pick one with --platform os/arch`);
  }
  const scans = await withDatabase(databaseFlags(values), io, async (db) => {
    const reader = await createVulnDbReader(db);
    const status = await reader.status();
    if (status.advisories === 0) throw new EmptyVulnerabilityDataError(db.location);
    const vulnerabilityData = toVulnerabilityData(status);
    const scanned: Scanned[] = [];
    for (const image of await inventoryImages(target, values, io)) {
      const result = await matchInventory(image, reader, {
        includeOsOwned: values['include-os-owned'] === true,
      });
      const document = toScanDocument(toInventoryDocument(target, image), result, {
        vulnerabilityData,
        filter,
      });
      scanned.push({ document, unrated: countUnrated(result.findings, document.findings) });
    }
    return scanned;
  });
  const documents = scans.map((scan) => scan.document);
  if (format === 'table') {
    io.stdout.write(
      scans
        .map((scan) => renderScan('table', scan.document, { tool: toolInfo() }) + unratedNote(scan.unrated))
        .join('\n'),
    );
  } else {
    io.stdout.write(render(format, documents, values.platform === 'all'));
    // Other formats carry each finding's severity; only say what a filter took away.
    for (const { unrated } of scans) if (unrated.hidden > 0) io.stderr.write(unratedNote(unrated));
  }
  // Said on stderr whatever the format: a script reading JSON or SARIF must not take it for a clean scan.
  for (const document of documents) io.stderr.write(incompleteNote(document));
  const findings = documents.reduce((sum, document) => sum + document.findings.length, 0);
  const incomplete = documents.some((document) => document.incomplete.length > 0);
  return (findings > 0 || incomplete) && exitCode !== null ? exitCode : EXIT.ok;
}

/** One line per file the scan needed but could not read: its packages are missing from the findings. */
function incompleteNote(document: ScanDocument): string {
  return document.incomplete
    .map(
      (record) =>
        `error: incomplete scan of ${document.target}${document.platform ? ` (${document.platform})` : ''}: ` +
        `${record.layer === null ? '' : `layer ${record.layer}: `}${record.reason} [${record.code}]\n`,
    )
    .join('');
}

interface Scanned {
  document: ScanDocument;
  unrated: Unrated;
}

/** Findings without a severity in one image: all of them, and how many a filter kept out of the document. */
interface Unrated {
  total: number;
  count: number;
  hidden: number;
}

function countUnrated(all: readonly Finding[], shown: readonly Finding[]): Unrated {
  const unknown = (findings: readonly Finding[]) =>
    findings.filter((finding) => finding.severity === 'UNKNOWN').length;
  const count = unknown(all);
  return { total: all.length, count, hidden: count - unknown(shown) };
}

/**
 * Findings without a severity (UNKNOWN: no advisory rates them, as with most of the Go standard
 * library) are easy to miss, and `--severity CRITICAL,HIGH` drops them without a word. The summary
 * says how many there are, and how many of them a filter hid.
 */
function unratedNote({ total, count, hidden }: Unrated): string {
  if (count === 0) return '';
  const findings = `${count} of ${total} finding${total === 1 ? '' : 's'} ${count === 1 ? 'has' : 'have'}`;
  const filtered = hidden > 0 ? `; ${hidden} of them not shown (--severity / --ignore-unfixed)` : '';
  return `note: ${findings} no severity (UNKNOWN): no advisory rates them, which does not make them harmless${filtered}\n`;
}

function render(format: ReturnType<typeof parseScanFormat>, documents: ScanDocument[], all: boolean): string {
  const options = { tool: toolInfo() };
  if (format === 'json' && all) return JSON.stringify(documents, null, 2) + '\n';
  return documents.map((document) => renderScan(format, document, options)).join('');
}

function parseExitCode(value: string | undefined): number | null {
  if (value === undefined) return null;
  const code = Number(value);
  if (!Number.isInteger(code) || code < 0 || code > 255)
    throw new UsageError(`--exit-code "${value}" is not 0-255`);
  return code;
}

/** Report-package validation errors (unknown format or severity) are about what the user typed. */
function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isCustomsError(error)) throw new UsageError(error.toLine());
    throw error;
  }
}

class EmptyVulnerabilityDataError extends CustomsError {
  constructor(location: string) {
    super('VULNERABILITY_DATA_EMPTY', `the vulnerability database at ${location} holds no advisories`, {
      hint: 'import some first: customs db import <osv-dir | all.zip | https://…/all.zip | s3://…>',
    });
  }
}
