import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import type { ParsedFile } from '../parser-analyzer.js';
import { isRecord, recordAt, stringAt, type UntypedRecord } from '../untyped.js';
import { isDevelopmentOnly, reachable } from './dependency-walk.js';
import { isLocalReference, splitNameAt } from './npm-descriptor.js';
import { distinctPackages, PRODUCTION_ONLY, type LockfileOptions } from './parsed-file.js';
import { parseDependencyPath, withoutPeers } from './pnpm-dep-path.js';
import { readLastYamlDocument } from './read-yaml.js';
import { skippedWarning } from './skipped-entries.js';

/**
 * `pnpm-lock.yaml`. Up to lockfile v6 each package carries `dev: true|false` (absent when both);
 * v9 dropped it, so production packages are those reachable from the importers' `dependencies` and
 * `optionalDependencies` through `snapshots`.
 */
export function parsePnpmLock(
  text: string,
  path: string,
  options: LockfileOptions = PRODUCTION_ONLY,
): ParsedFile {
  const lock = readLastYamlDocument(text, path);
  const lockfileVersion = Number.parseFloat(stringAt(lock, 'lockfileVersion') ?? '');
  if (!Number.isFinite(lockfileVersion))
    throw new PackageFileError('NPM_FILE_INVALID', path, 'no lockfileVersion');
  const developmentOnly =
    lockfileVersion >= 9 && !options.includeDev ? developmentOnlyV9(lock) : new Set<string>();

  const found: FoundPackage[] = [];
  const skipped: string[] = [];
  for (const [key, info] of Object.entries(recordAt(lock, 'packages'))) {
    if (!isRecord(info) || isLocalPackage(key, info)) continue;
    const dev = lockfileVersion >= 9 ? developmentOnly.has(key) : stringAt(info, 'dev') === 'true';
    if (dev && !options.includeDev) continue;
    const parsed = parseDependencyPath(key, lockfileVersion);
    const name = stringAt(info, 'name') ?? parsed?.name ?? splitNameAt(key)?.name;
    const version = stringAt(info, 'version') ?? parsed?.version;
    if (name && version) found.push({ type: 'npm', name, version, path });
    else skipped.push(key);
  }
  return {
    packages: distinctPackages(found),
    warnings: skippedWarning(path, skipped, 'have no version and were skipped'),
  };
}

/** Workspace folders and `file:` directories are the project's own code. */
function isLocalPackage(key: string, info: UntypedRecord): boolean {
  const reference = splitNameAt(key.replace(/^\//, ''))?.rest ?? key;
  return (
    isLocalReference(key) ||
    isLocalReference(reference) ||
    Object.hasOwn(recordAt(info, 'resolution'), 'directory')
  );
}

/** v9: keys of `packages` whose every snapshot only development dependencies reach. */
function developmentOnlyV9(lock: UntypedRecord): Set<string> {
  const snapshots = recordAt(lock, 'snapshots');
  const resolve = snapshotResolver(snapshots);
  const importers = Object.values(recordAt(lock, 'importers')).filter(isRecord);
  const rootsOf = (sections: string[]) =>
    importers
      .flatMap((importer) => sections.flatMap((section) => dependencyList(importer, section)))
      .flatMap(resolve);
  const next = (snapshot: string) =>
    ['dependencies', 'optionalDependencies']
      .flatMap((section) => dependencyList(recordAt(snapshots, snapshot), section))
      .flatMap(resolve);
  const production = reachable(rootsOf(['dependencies', 'optionalDependencies']), next);
  const development = reachable(rootsOf(['devDependencies']), next);

  const snapshotsByPackage = new Map<string, string[]>();
  for (const snapshot of Object.keys(snapshots)) {
    const key = packageKeyOf(snapshot);
    const list = snapshotsByPackage.get(key) ?? [];
    list.push(snapshot);
    snapshotsByPackage.set(key, list);
  }
  const developmentOnly = new Set<string>();
  for (const [key, list] of snapshotsByPackage) {
    if (list.every((snapshot) => isDevelopmentOnly(snapshot, production, development)))
      developmentOnly.add(key);
  }
  return developmentOnly;
}

/** `name@1.0.0(peer@2.0.0)` is a snapshot of the package `name@1.0.0` (snapshots exist from v9 on). */
function packageKeyOf(snapshot: string): string {
  const parsed = splitNameAt(snapshot);
  return parsed ? `${parsed.name}@${withoutPeers(parsed.rest, 9)}` : snapshot;
}

/** `[name, version]` pairs of a section: importers write `{ specifier, version }`, snapshots the version alone. */
function dependencyList(record: UntypedRecord, section: string): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(recordAt(record, section))) {
    const version = isRecord(value)
      ? stringAt(value, 'version')
      : typeof value === 'string'
        ? value
        : undefined;
    if (version !== undefined) list.push([name, version]);
  }
  return list;
}

/**
 * A dependency `name: 1.0.0(peer@2)` points at the snapshot `name@1.0.0(peer@2)`; an alias
 * `name: real@1.0.0` at `real@1.0.0`; `link:` at a workspace folder, which is an importer itself.
 */
function snapshotResolver(snapshots: UntypedRecord): (dependency: [string, string]) => string[] {
  return ([name, reference]) => {
    if (reference.startsWith('link:')) return [];
    const key = [`${name}@${reference}`, reference].find((candidate) => Object.hasOwn(snapshots, candidate));
    return key === undefined ? [] : [key];
  };
}
