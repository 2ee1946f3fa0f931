import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { matchInventory } from '@customs/matcher';
import { DEFAULT_SCANNERS, parseScanners, type Finding, type ScannerName } from '@customs/model';
import type { ImagePolicyResult } from '@customs/policy';
import {
  isVexSuppressed,
  parseScanFormat,
  parseSeverities,
  renderScan,
  toInventoryDocument,
  toScanDocument,
  toVulnerabilityData,
  type FindingFilter,
  type ScanDocument,
} from '@customs/report';
import { parseVex, statementFor, vexSummary, type VexStatement } from '@customs/vex';
import { createVulnDbReader, readDataStatus, type VulnDbReader } from '@customs/vulndb';
import type { Database } from '@customs/db';
import type { IndexedImage } from '@customs/indexer';
import { CustomsError, describeError, isCustomsError } from '@customs/errors';
import { runUpdate, updateSettings, type InventoriedImage, type UpdateSettings } from './db-update.js';
import { UPDATE_OPTIONS } from './update-options.js';
import { DATABASE_OPTIONS, databaseFlags, withDatabase } from '../database-options.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { TARGET_OPTIONS } from '../target-options.js';
import { toolInfo } from '../tool-info.js';
import { inventoryImages } from './inventory.js';
import { ATTEST_OPTIONS, planAttestation, pushAttestations } from './scan-attest.js';
import { judgeScanned, readScanPolicy, verdictLine } from './scan-policy.js';
import { scannerTableSections, withScannerFindings } from './scan-scanners.js';

export const SCAN_USAGE = `usage: customs scan <image-ref | oci-layout-dir[:tag] | archive.tar | rootfs-dir>
         [--format table|json|sarif|cyclonedx|spdx] [--severity CRITICAL,HIGH,...] [--ignore-unfixed]
         [--scanners vuln,secret,config,license] [--skip-secret-path PATH]...
         [--exit-code N] [--include-os-owned] [--vex openvex.json]... [--db postgres://… | --db-dir PATH]
         [--platform os/arch[/variant]|all] [--username U --password P] [--insecure-registry HOST]
         [--offline | --skip-db-update] [--db-max-age 24h] [--mirror URL]... [--ca-file PEM]
         [--attest --signing-key KEY.pem [--sbom-format cyclonedx|spdx]]
         [--policy policy.yaml]

Findings come from the vulnerability database; with neither --db nor --db-dir it is DATABASE_URL, else the
embedded one in $XDG_CACHE_HOME/customs/db. An empty database, or one older than --db-max-age
(CUSTOMS_DB_MAX_AGE, default 24h), is updated first as customs db update would (mirror: --mirror or
CUSTOMS_DB_MIRROR); --offline or --skip-db-update never fetch. --exit-code N: exit N when findings
remain after --severity/--ignore-unfixed, or when the scan is incomplete (a package database, lockfile or
manifest it needed could not be read: too big, unreadable, unparseable) or secrets were found, else 0.
--scanners (default ${DEFAULT_SCANNERS.join(',')}): secret reads every text file of every layer for
credentials in the same pass, reported redacted, also when a later layer deleted the file; files and
directories given with --skip-secret-path (image paths, e.g. usr/share/doc) are not read, only counted.
Language packages owned by an OS package are covered by its distro's advisories and not matched upstream
unless --include-os-owned.
--attest (registry images): push the SBOM and a vulnerability attestation (in-toto, cosign vuln/v1, DSSE)
signed with --signing-key (PEM, ECDSA P-256 or Ed25519; else CUSTOMS_SIGNING_KEY holds the PEM) to the
image's registry as OCI 1.1 referrers of it (the sha256-<hex> tag where the registry has no referrers API).
--vex FILE (repeatable): OpenVEX 0.2.0 statements about the image's digest; findings they mark not_affected
or fixed stay in the report with their VEX status but do not count for --exit-code.
--policy FILE: judge each image as the service does with that policy file (the rule for the reference's
repository; a local target gets the ** rules), print the verdict and its rule on stderr, and exit
--exit-code N (default 1) on fail or error instead of on any finding.
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
      vex: { type: 'string', multiple: true },
      offline: { type: 'boolean' },
      'skip-db-update': { type: 'boolean' },
      'db-max-age': { type: 'string' },
      policy: { type: 'string' },
      scanners: { type: 'string', default: DEFAULT_SCANNERS.join(',') },
      'skip-secret-path': { type: 'string', multiple: true },
      ...UPDATE_OPTIONS,
      ...ATTEST_OPTIONS,
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
  const scanners = scannerList(values.scanners);
  if (SINGLE_DOCUMENT_FORMATS.includes(format) && values.platform === 'all') {
    throw new UsageError(`--format ${format} describes one image: pick one with --platform os/arch`);
  }
  const settings = updateSettings(values, io.env);
  const maxAgeMs = parseDuration(values['db-max-age'] ?? io.env.CUSTOMS_DB_MAX_AGE ?? '24h');
  const offline = values.offline === true;
  const attest = await planAttestation(target, values, io.env);
  const startedAt = new Date();
  let dataVersion = { uri: '', version: '' };
  const vexStatements = await readVexFiles(values.vex ?? []);
  const policy = values.policy === undefined ? null : await readScanPolicy(values.policy, io);
  const scans = await withDatabase(databaseFlags(values), io, async (db) => {
    const reader = await createVulnDbReader(db);
    const images = await inventoryImages(
      target,
      { ...values, scanners, secretSkipPaths: values['skip-secret-path'] ?? [] },
      io,
    );
    if (!offline && values['skip-db-update'] !== true)
      await refreshIfStale(db, reader, images, settings, maxAgeMs, io);
    const status = await reader.status();
    if (status.advisories === 0) throw new EmptyVulnerabilityDataError(db.location, offline);
    const vulnerabilityData = toVulnerabilityData(status);
    if (attest) dataVersion = dataVersionOf(await readDataStatus(db));
    const scanned: Scanned[] = [];
    for (const image of images) {
      const result = await matchInventory(image, reader, {
        includeOsOwned: values['include-os-owned'] === true,
      });
      const digests = image.manifestDigest === null ? [] : [image.manifestDigest];
      const scanDocument = toScanDocument(toInventoryDocument(target, image), result, {
        vulnerabilityData,
        filter,
        vexOf: (finding) => vexSummary(statementFor(vexStatements, finding, { digests })),
      });
      const document = withScannerFindings(scanDocument, image, scanners);
      const counted = result.findings.filter(
        (finding) =>
          !isVexSuppressed(vexSummary(statementFor(vexStatements, finding, { digests })) ?? undefined),
      );
      const verdict = policy && judgeScanned(policy, target, image, counted);
      scanned.push({ image, document, unrated: countUnrated(result.findings, document.findings), verdict });
    }
    return scanned;
  });
  const documents = scans.map((scan) => scan.document);
  if (format === 'table') {
    io.stdout.write(
      scans
        .map(
          (scan) =>
            renderScan('table', scan.document, { tool: toolInfo() }) +
            scannerTableSections(scan.document, scanners) +
            unratedNote(scan.unrated),
        )
        .join('\n'),
    );
  } else {
    io.stdout.write(render(format, documents, values.platform === 'all'));
    // Other formats carry each finding's severity; only say what a filter took away.
    for (const { unrated } of scans) if (unrated.hidden > 0) io.stderr.write(unratedNote(unrated));
  }
  // Said on stderr whatever the format: a script reading JSON or SARIF must not take it for a clean scan.
  for (const document of documents) io.stderr.write(incompleteNote(document));
  if (attest) {
    const parameters = ['severity', 'ignore-unfixed', 'include-os-owned'].flatMap((flag) => {
      const value = values[flag as 'severity' | 'ignore-unfixed' | 'include-os-owned'];
      return value === undefined ? [] : [value === true ? `--${flag}` : `--${flag}=${String(value)}`];
    });
    await pushAttestations(attest, scans, { db: dataVersion, parameters, startedAt }, values, io);
  }
  if (policy !== null) {
    for (const { verdict } of scans) if (verdict) io.stderr.write(verdictLine(target, policy, verdict));
    const blocked = scans.some(({ verdict }) => verdict?.verdict === 'fail' || verdict?.verdict === 'error');
    return blocked ? (exitCode ?? 1) : EXIT.ok;
  }
  const findings = documents.reduce(
    (sum, document) => sum + document.findings.filter((finding) => !isVexSuppressed(finding.vex)).length,
    0,
  );
  const incomplete = documents.some((document) => document.incomplete.length > 0);
  const secrets = documents.reduce((sum, document) => sum + (document.secrets?.findings.length ?? 0), 0);
  return (findings > 0 || secrets > 0 || incomplete) && exitCode !== null ? exitCode : EXIT.ok;
}

/** Every statement of the --vex files, each checked against the OpenVEX schema before anything is scanned. */
async function readVexFiles(paths: readonly string[]): Promise<VexStatement[]> {
  const statements: VexStatement[] = [];
  for (const path of paths) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--vex ${path}: cannot read it (${error.code ?? error.message})`);
    });
    statements.push(...parseVex(text, path).statements);
  }
  return statements;
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
  image: IndexedImage;
  document: ScanDocument;
  unrated: Unrated;
  /** With --policy: the image's verdict. */
  verdict: ImagePolicyResult | null;
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

/** The attestation's `db`: where the serving data version came from, and its number. */
function dataVersionOf(status: Awaited<ReturnType<typeof readDataStatus>>): { uri: string; version: string } {
  return { uri: status.current?.origin ?? 'unknown', version: String(status.current?.version ?? 0) };
}

function parseExitCode(value: string | undefined): number | null {
  if (value === undefined) return null;
  const code = Number(value);
  if (!Number.isInteger(code) || code < 0 || code > 255)
    throw new UsageError(`--exit-code "${value}" is not 0-255`);
  return code;
}

/** `--scanners`: an unknown name is a usage error naming the known ones. */
function scannerList(value: string): ScannerName[] {
  try {
    return parseScanners(value);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--scanners: ${error.message}`);
    throw error;
  }
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
  constructor(location: string, offline: boolean) {
    super(
      'VULNERABILITY_DATA_EMPTY',
      `the vulnerability database at ${location} holds no advisories${offline ? ' and --offline forbids fetching them' : ''}`,
      {
        hint: offline
          ? 'run customs db update (add --mirror https://… or s3://… for a mirror), or customs db import <bundle.tar.gz> where there is no network'
          : 'run customs db update --mirror <https://… | s3://… | oci://…> with a reachable mirror, or customs db import <bundle.tar.gz>',
      },
    );
  }
}

/**
 * Like `trivy image`: an empty database, or one older than --db-max-age, is updated before matching,
 * for the ecosystems these images use. A failed update of data that exists only warns (the scan
 * goes on with it); with no data at all the scan fails, saying what to run.
 */
async function refreshIfStale(
  db: Database,
  reader: VulnDbReader,
  images: readonly InventoriedImage[],
  settings: UpdateSettings,
  maxAgeMs: number,
  io: CliIO,
): Promise<void> {
  const status = await reader.status();
  const data = await readDataStatus(db);
  const updatedAt = data.current?.createdAt ?? status.lastImport?.finishedAt ?? null;
  const ageMs = updatedAt === null ? Infinity : Date.now() - updatedAt.getTime();
  if (status.advisories > 0 && ageMs <= maxAgeMs) return;
  const from = settings.mirrors[0] ?? 'OSV.dev';
  io.stderr.write(
    status.advisories === 0
      ? `customs scan: the vulnerability database is empty; fetching it from ${from} first (--skip-db-update to skip)\n`
      : `customs scan: the vulnerability data is ${(ageMs / 3_600_000).toFixed(0)} h old; updating it from ${from} first (--skip-db-update to skip)\n`,
  );
  try {
    await runUpdate(db, settings, io, images);
  } catch (error) {
    if (status.advisories === 0) throw new EmptyVulnerabilityDataError(db.location, false);
    io.stderr.write(
      `customs scan: update failed, scanning with the data as it was: ${describeError(error)}\n`,
    );
  }
}

/** `24h`, `90m`, `2d`, `3600s`: how old data may be before a scan updates it. */
function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) throw new UsageError(`--db-max-age "${text}" is not a duration like 24h, 90m or 2d`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
