import type { FoundPackage } from '../../package.js';
import type { ParsedFile } from '../parser-analyzer.js';
import { readToml } from '../read-toml.js';
import { recordAt, recordsAt, stringAt, type UntypedRecord } from '../untyped.js';
import { distinctPackages, PRODUCTION_ONLY, skippedWarning, type LockfileOptions } from './parsed-file.js';

interface UvPackage {
  name: string;
  version: string | undefined;
  entry: UntypedRecord;
}

/**
 * `uv.lock`. The project and its workspace members are packages with an `editable` or `virtual`
 * source; their `dependencies` and `optional-dependencies` (the project's extras) are production
 * roots, their `dev-dependencies` groups development roots. A package only development roots reach
 * is development-only; one neither reaches is kept. Dependencies name a package, plus its version
 * when several are locked, plus the extras that pull in its `optional-dependencies`.
 */
export function parseUvLock(
  text: string,
  path: string,
  options: LockfileOptions = PRODUCTION_ONLY,
): ParsedFile {
  const lock = readToml(text, path, 'PYTHON_FILE_INVALID');
  const packages = recordsAt(lock, 'package').flatMap((entry): UvPackage[] => {
    const name = stringAt(entry, 'name');
    return name ? [{ name, version: stringAt(entry, 'version'), entry }] : [];
  });
  const projects = packages.filter((pkg) => isProjectSource(recordAt(pkg.entry, 'source')));
  const warnings: string[] = [];
  let developmentOnly = new Set<UvPackage>();
  if (!options.includeDev && projects.length === 0) {
    warnings.push(
      `${path}: no project package in it, so development dependencies cannot be told apart; all packages are reported`,
    );
  } else if (!options.includeDev) {
    const resolve = resolver(packages);
    const production = walk(projects.flatMap(productionRoots), resolve);
    const development = walk(projects.flatMap(developmentRoots), resolve);
    developmentOnly = new Set([...development].filter((pkg) => !production.has(pkg)));
  }

  const found: FoundPackage[] = [];
  const skipped: string[] = [];
  for (const pkg of packages) {
    if (developmentOnly.has(pkg) || isLocalSource(recordAt(pkg.entry, 'source'))) continue;
    if (pkg.version) found.push({ type: 'pypi', name: pkg.name, version: pkg.version, path });
    else skipped.push(pkg.name);
  }
  return {
    packages: distinctPackages(found),
    warnings: [...warnings, ...skippedWarning(path, skipped, 'have no version and were skipped')],
  };
}

function isProjectSource(source: UntypedRecord): boolean {
  return 'editable' in source || 'virtual' in source;
}

/** The project, its workspace members and local path dependencies are the app's own code. */
function isLocalSource(source: UntypedRecord): boolean {
  return isProjectSource(source) || 'directory' in source;
}

function productionRoots(project: UvPackage): UntypedRecord[] {
  const extras = Object.keys(recordAt(project.entry, 'optional-dependencies'));
  return [
    ...recordsAt(project.entry, 'dependencies'),
    ...extras.flatMap((extra) => recordsAt(recordAt(project.entry, 'optional-dependencies'), extra)),
  ];
}

function developmentRoots(project: UvPackage): UntypedRecord[] {
  const groups = recordAt(project.entry, 'dev-dependencies');
  return Object.keys(groups).flatMap((group) => recordsAt(groups, group));
}

/** The locked packages a dependency names: by name, narrowed by version when it gives one. */
function resolver(packages: UvPackage[]): (dependency: UntypedRecord) => UvPackage[] {
  const byName = new Map<string, UvPackage[]>();
  for (const pkg of packages) {
    const named = byName.get(pkg.name) ?? [];
    named.push(pkg);
    byName.set(pkg.name, named);
  }
  return (dependency) => {
    const named = byName.get(stringAt(dependency, 'name') ?? '') ?? [];
    const version = stringAt(dependency, 'version');
    return version === undefined ? named : named.filter((pkg) => pkg.version === version);
  };
}

function walk(roots: UntypedRecord[], resolve: (dependency: UntypedRecord) => UvPackage[]): Set<UvPackage> {
  const seen = new Set<UvPackage>();
  const seenExtras = new Set<string>();
  const pending = [...roots];
  for (let dependency = pending.pop(); dependency; dependency = pending.pop()) {
    const extras = Array.isArray(dependency.extra)
      ? dependency.extra.filter((e) => typeof e === 'string')
      : [];
    for (const target of resolve(dependency)) {
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(...recordsAt(target.entry, 'dependencies'));
      }
      for (const extra of extras) {
        const id = `${target.name}@${target.version ?? ''}[${extra}]`;
        if (seenExtras.has(id)) continue;
        seenExtras.add(id);
        pending.push(...recordsAt(recordAt(target.entry, 'optional-dependencies'), extra));
      }
    }
  }
  return seen;
}
