import type { FoundPackage } from '../../package.js';
import type { ParsedFile } from '../parser-analyzer.js';
import { isDevelopmentOnly, reachable } from './dependency-walk.js';
import { isLocalReference, splitNameAt } from './npm-descriptor.js';
import type { ProjectManifest } from './parse-package-json.js';
import { distinctPackages, PRODUCTION_ONLY, type LockfileOptions } from './parsed-file.js';
import { readLastYamlDocument } from './read-yaml.js';
import { readYarnBerry } from './read-yarn-berry.js';
import { readYarnClassic } from './read-yarn-classic.js';
import { skippedWarning } from './skipped-entries.js';
import type { YarnLockEntry } from './yarn-lock-entry.js';

/** A lockfile block read as a package: `name` is the real one (not an alias), null for the project's own folders. */
interface YarnPackage {
  entry: YarnLockEntry;
  name: string | null;
  version: string | undefined;
}

/**
 * `yarn.lock`, classic (v1) or berry (v2+). Neither marks development packages, so they are found by
 * walking the lockfile from the project's package.json (and its workspaces' ones): `manifests` are
 * those files, read from the same layer. Without them every package is kept, with a warning.
 */
export function parseYarnLock(
  text: string,
  path: string,
  manifests: readonly ProjectManifest[],
  options: LockfileOptions = PRODUCTION_ONLY,
): ParsedFile {
  const berry = /^__metadata:/m.test(text);
  const entries = berry ? readYarnBerry(readLastYamlDocument(text, path)) : readYarnClassic(text);
  const packages = entries.map((entry) => (berry ? asBerryPackage(entry) : asClassicPackage(entry)));
  const { kept, warnings } = options.includeDev
    ? { kept: packages, warnings: [] }
    : withoutDevelopmentOnly(packages, manifests, path);

  const found: FoundPackage[] = [];
  const skipped: string[] = [];
  for (const { entry, name, version } of kept) {
    if (name === null) continue;
    if (version) found.push({ type: 'npm', name, version, path });
    else skipped.push(entry.descriptors.join(', '));
  }
  return {
    packages: distinctPackages(found),
    warnings: [...warnings, ...skippedWarning(path, skipped, 'have no version and were skipped')],
  };
}

/** Berry records what a block resolved to: `name@npm:1.2.3`, `name@workspace:.`, `name@patch:...`. */
function asBerryPackage(entry: YarnLockEntry): YarnPackage {
  const resolution = splitNameAt(entry.fields.get('resolution') ?? entry.descriptors[0] ?? '');
  const local = !resolution || isLocalReference(resolution.rest);
  return { entry, name: local ? null : resolution.name, version: entry.fields.get('version') };
}

/** Classic names a block by its descriptors; `alias@npm:real@^1` installs `real`. */
function asClassicPackage(entry: YarnLockEntry): YarnPackage {
  const descriptor = splitNameAt(entry.descriptors[0] ?? '');
  const version = entry.fields.get('version');
  if (!descriptor || isLocalReference(descriptor.rest)) return { entry, name: null, version };
  const aliased = descriptor.rest.startsWith('npm:')
    ? splitNameAt(descriptor.rest.slice('npm:'.length))
    : null;
  return { entry, name: aliased?.name ?? descriptor.name, version };
}

function withoutDevelopmentOnly(
  packages: YarnPackage[],
  manifests: readonly ProjectManifest[],
  path: string,
): { kept: YarnPackage[]; warnings: string[] } {
  if (manifests.length === 0) {
    const warning = `${path}: no package.json beside it in this layer, so development dependencies cannot be told apart; all packages are reported`;
    return { kept: packages, warnings: [warning] };
  }
  const resolve = resolver(packages);
  const next = (pkg: YarnPackage) => pkg.entry.dependencies.flatMap(resolve);
  const production = reachable(
    manifests.flatMap((manifest) => manifest.production.flatMap(resolve)),
    next,
  );
  const development = reachable(
    manifests.flatMap((manifest) => manifest.development.flatMap(resolve)),
    next,
  );
  return { kept: packages.filter((pkg) => !isDevelopmentOnly(pkg, production, development)), warnings: [] };
}

/**
 * Finds the blocks a `[name, range]` dependency resolved to. The lockfile keys blocks by descriptor,
 * which berry prefixes with `npm:`. A `resolutions` override rewrites the descriptor, so when no key
 * matches, every block of that name is taken: keeping a package too many beats hiding one.
 */
function resolver(packages: YarnPackage[]): (dependency: [string, string]) => YarnPackage[] {
  const byDescriptor = new Map<string, YarnPackage>();
  const byName = new Map<string, Set<YarnPackage>>();
  for (const pkg of packages) {
    for (const descriptor of pkg.entry.descriptors) {
      byDescriptor.set(descriptor, pkg);
      const name = splitNameAt(descriptor)?.name;
      if (name === undefined) continue;
      const named = byName.get(name) ?? new Set<YarnPackage>();
      byName.set(name, named.add(pkg));
    }
  }
  return ([name, range]) => {
    const exact = byDescriptor.get(`${name}@${range}`) ?? byDescriptor.get(`${name}@npm:${range}`);
    return exact ? [exact] : [...(byName.get(name) ?? [])];
  };
}
