import type { CollectedFile } from '@customs/layers';
import type { AnalyzeContext, Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import type { FoundPackage, OwnedFiles } from '../../package.js';
import { readBdbBlobs } from './parse-bdb.js';
import { readNdbBlobs } from './parse-ndb.js';
import { parseRpmHeader } from './parse-rpm-header.js';
import { readSqliteBlobs } from './parse-sqlite.js';
import { RpmDbError } from './rpmdb-error.js';
import { toRpmPackage } from './rpm-package.js';

interface Blobs {
  blobs: Uint8Array[];
  warnings: string[];
}

type ReadBlobs = (file: Uint8Array) => Blobs | Promise<Blobs>;

/** rpm's three backends, newest first: a layer that has more than one is read from the newest. */
const FORMATS: ReadonlyArray<readonly [file: string, read: ReadBlobs]> = [
  ['rpmdb.sqlite', async (file) => ({ blobs: await readSqliteBlobs(file), warnings: [] })],
  ['Packages.db', readNdbBlobs],
  ['Packages', readBdbBlobs],
];

/** Fedora, openSUSE and RHEL 10 keep the database under /usr (with /var/lib/rpm linked to it). */
const DIRECTORIES = ['usr/lib/sysimage/rpm/', 'var/lib/rpm/'];

interface Database {
  path: string;
  read: ReadBlobs;
}

/** Every place a database can be, in preference order: newest format first, then /usr before /var. */
const DATABASES: readonly Database[] = FORMATS.flatMap(([file, read]) =>
  DIRECTORIES.map((dir) => ({ path: dir + file, read })),
);
const WAL_FILES = DIRECTORIES.map((dir) => `${dir}rpmdb.sqlite-wal`);
const REQUIRED = new Set([...DATABASES.map(({ path }) => path), ...WAL_FILES]);

export const rpm = {
  id: 'rpm',
  version: 1,
  kind: 'os',
  required: (path, _info) => REQUIRED.has(path),
  // A big RHEL image's Berkeley DB Packages file reaches a few hundred MB.
  maxFileSize: 256 * 1024 * 1024,
  analyze: (files, context) => analyzeRpm(files, context),
} satisfies Analyzer;

async function analyzeRpm(files: FileSet, context: AnalyzeContext): Promise<AnalyzerResult> {
  const present = presentDatabases(files);
  const [chosen, ...ignored] = present;
  if (!chosen) return { packages: [] };
  const warnings = ignored.map(
    ({ path }) => `${path}: not read; ${chosen.path} is this layer's rpm database`,
  );
  warnings.push(...walWarnings(files));

  let blobs: Blobs;
  try {
    blobs = await chosen.read(chosen.file.data);
  } catch (error) {
    if (!(error instanceof RpmDbError)) throw error;
    return { packages: [], warnings: [...warnings, `${chosen.path}: ${error.message}`] };
  }
  warnings.push(...blobs.warnings.map((warning) => `${chosen.path}: ${warning}`));
  const packages: FoundPackage[] = [];
  const ownedFiles: OwnedFiles[] = [];
  for (const blob of blobs.blobs) {
    const found = readPackage(blob, chosen.path, context);
    if (typeof found === 'string') warnings.push(`${chosen.path}: ${found}`);
    else if (found) {
      packages.push(found.pkg);
      if (found.owned) ownedFiles.push(found.owned);
      if (found.warning) warnings.push(`${chosen.path}: ${found.warning}`);
    }
  }
  return { packages, ownedFiles, warnings };
}

/** Databases in this layer in preference order, each file once (var/lib/rpm may link to /usr). */
function presentDatabases(files: FileSet): (Database & { file: CollectedFile })[] {
  const seen = new Set<CollectedFile>();
  const present: (Database & { file: CollectedFile })[] = [];
  for (const database of DATABASES) {
    const file = files.resolve(database.path);
    if (!file || seen.has(file)) continue;
    seen.add(file);
    present.push({ ...database, file });
  }
  return present;
}

/** rpm checkpoints its write-ahead log on close; a leftover one holds changes SQLite here cannot see. */
function walWarnings(files: FileSet): string[] {
  return WAL_FILES.filter((path) => (files.read(path)?.byteLength ?? 0) > 0).map(
    (path) => `${path}: not empty; packages changed after the last checkpoint may be missing`,
  );
}

interface ReadPackage {
  pkg: FoundPackage;
  owned?: OwnedFiles;
  warning?: string;
}

function readPackage(blob: Uint8Array, path: string, context: AnalyzeContext): ReadPackage | string | null {
  let header;
  try {
    header = parseRpmHeader(blob);
  } catch (error) {
    if (!(error instanceof RpmDbError)) throw error;
    return `skipped a header: ${error.message}`;
  }
  const result = toRpmPackage(header, path);
  if ('skipped' in result) return null;
  const paths = header.files.filter((file) => context.isLanguagePath(file));
  const { pkg } = result;
  const owner = {
    type: 'rpm' as const,
    name: pkg.name,
    version: pkg.version,
    ...(pkg.arch ? { arch: pkg.arch } : {}),
  };
  return {
    pkg,
    ...(paths.length ? { owned: { owner, paths } } : {}),
    ...(result.warning ? { warning: result.warning } : {}),
  };
}
