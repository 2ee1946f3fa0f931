import path from 'node:path';
import type { AnalyzeContext, Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import type { FoundPackage, OwnedFiles } from '../../package.js';
import { parseFileList, parseMd5sums } from './parse-file-list.js';
import { isCopyrightFile, isDocDirectory, withCopyrightLicenses } from './package-licenses.js';
import { parseStatus } from './parse-status.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';
const MD5SUMS = '.md5sums';

/** A file directly inside `dir` (no deeper), so `status.d/x/y` or `info/x/y.list` are not taken. */
function directlyIn(filePath: string, dir: string): boolean {
  return filePath.startsWith(dir) && filePath.length > dir.length && !filePath.includes('/', dir.length);
}

export const dpkg = {
  id: 'dpkg',
  version: 2,
  kind: 'os',
  required: (filePath, info) =>
    filePath === STATUS ||
    directlyIn(filePath, STATUS_D) ||
    (directlyIn(filePath, INFO) && filePath.endsWith('.list')) ||
    isCopyrightFile(filePath) ||
    (info.kind === 'symlink' && isDocDirectory(filePath)),
  analyze: (files, context) => analyzeDpkg(files, context),
} satisfies Analyzer;

function analyzeDpkg(files: FileSet, context: AnalyzeContext): AnalyzerResult {
  const warnings: string[] = [];
  const packages: FoundPackage[] = [];
  const ownedFiles: OwnedFiles[] = [];

  const mainStatus = files.text(STATUS);
  if (mainStatus !== undefined) {
    const parsed = parseStatus(mainStatus, { path: STATUS, missingStatusMeansInstalled: false });
    packages.push(...parsed.packages);
    warnings.push(...parsed.warnings.map((warning) => `${STATUS}: ${warning}`));
  }
  const statusDirPackages = readStatusDir(files, warnings);
  packages.push(...statusDirPackages.values());

  const owners = new Owners(packages);
  for (const filePath of files.paths()) {
    const owned = directlyIn(filePath, INFO)
      ? ownedByList(filePath, files, owners, context)
      : ownedByMd5sums(filePath, files, statusDirPackages, context);
    if (typeof owned === 'string') warnings.push(owned);
    else if (owned) ownedFiles.push(owned);
  }
  return { packages: withCopyrightLicenses(packages, files), ownedFiles, warnings };
}

/** Distroless keeps one file per package in status.d (plus its md5sums); keyed by file name. */
function readStatusDir(files: FileSet, warnings: string[]): Map<string, FoundPackage> {
  const found = new Map<string, FoundPackage>();
  for (const filePath of files.paths()) {
    if (!directlyIn(filePath, STATUS_D) || filePath.endsWith(MD5SUMS)) continue;
    const text = files.text(filePath);
    if (text === undefined) continue;
    const parsed = parseStatus(text, { path: filePath, missingStatusMeansInstalled: true });
    warnings.push(...parsed.warnings.map((warning) => `${filePath}: ${warning}`));
    const [first, ...others] = parsed.packages;
    if (first) found.set(path.posix.basename(filePath), first);
    // Entries normally hold one package; keep any others too, under a key no md5sums file can match.
    others.forEach((pkg, index) => found.set(`${filePath}#${index + 1}`, pkg));
  }
  return found;
}

/** Installed packages by `name` and by `name:arch`, as dpkg names its info files. */
class Owners {
  readonly #byKey = new Map<string, FoundPackage>();

  constructor(packages: readonly FoundPackage[]) {
    for (const pkg of packages) {
      if (pkg.arch) this.#byKey.set(`${pkg.name}:${pkg.arch}`, pkg);
      if (!this.#byKey.has(pkg.name)) this.#byKey.set(pkg.name, pkg);
    }
  }

  /** `libc6:amd64` (Multi-Arch: same) or `adduser`. */
  find(infoName: string): FoundPackage | undefined {
    return this.#byKey.get(infoName);
  }
}

type Ownership = OwnedFiles | string | null;

function ownedByList(filePath: string, files: FileSet, owners: Owners, context: AnalyzeContext): Ownership {
  const paths = languagePaths(files.text(filePath), parseFileList, context);
  if (paths.length === 0) return null;
  const owner = owners.find(path.posix.basename(filePath, '.list'));
  if (!owner) return `${filePath}: no installed package in this layer's status owns this file list`;
  return ownership(owner, paths);
}

function ownedByMd5sums(
  filePath: string,
  files: FileSet,
  statusDirPackages: ReadonlyMap<string, FoundPackage>,
  context: AnalyzeContext,
): Ownership {
  if (!filePath.endsWith(MD5SUMS)) return null;
  const paths = languagePaths(files.text(filePath), parseMd5sums, context);
  if (paths.length === 0) return null;
  const owner = statusDirPackages.get(path.posix.basename(filePath, MD5SUMS));
  if (!owner) return `${filePath}: no status.d entry beside it names an installed package`;
  return ownership(owner, paths);
}

function languagePaths(
  text: string | undefined,
  parse: (text: string) => string[],
  context: AnalyzeContext,
): string[] {
  return text === undefined ? [] : parse(text).filter((filePath) => context.isLanguagePath(filePath));
}

function ownership(owner: FoundPackage, paths: string[]): OwnedFiles {
  return {
    owner: {
      type: 'deb',
      name: owner.name,
      version: owner.version,
      ...(owner.arch ? { arch: owner.arch } : {}),
    },
    paths,
  };
}
