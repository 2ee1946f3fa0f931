import type { FoundPackage } from '../../package.js';
import type { ParsedFile } from '../parser-analyzer.js';
import { isRecord, recordAt, stringAt, type UntypedRecord } from '../untyped.js';
import { parseJsonObject, npmLicenses } from './parse-package-json.js';
import { distinctPackages, PRODUCTION_ONLY, type LockfileOptions } from './parsed-file.js';
import { skippedWarning } from './skipped-entries.js';

const NODE_MODULES = 'node_modules/';

/**
 * `package-lock.json` / `npm-shrinkwrap.json`. Versions 2 and 3 list every installed folder under
 * `packages` (keyed `node_modules/a/node_modules/b`); version 1 only has the nested `dependencies`
 * tree. Both mark development-only packages with `dev: true`, which npm computes from the whole tree,
 * so no graph walk is needed here.
 */
export function parsePackageLock(
  text: string,
  path: string,
  options: LockfileOptions = PRODUCTION_ONLY,
): ParsedFile {
  const lock = parseJsonObject(text, path);
  const read = isRecord(lock.packages)
    ? readInstallLocations(lock.packages, path, options)
    : readDependencyTree(recordAt(lock, 'dependencies'), path, options);
  return {
    packages: distinctPackages(read.packages),
    warnings: skippedWarning(path, read.skipped, 'have no registry version and were skipped'),
  };
}

interface Read {
  packages: FoundPackage[];
  skipped: string[];
}

function readInstallLocations(locations: UntypedRecord, path: string, options: LockfileOptions): Read {
  const read: Read = { packages: [], skipped: [] };
  for (const [location, entry] of Object.entries(locations)) {
    const at = location.lastIndexOf(NODE_MODULES);
    // Locations outside node_modules are the project and its workspaces: the app, not a dependency.
    // Links point at such folders.
    if (at === -1 || !isRecord(entry) || entry.link === true) continue;
    if (entry.dev === true && !options.includeDev) continue;
    // `name` is only written when it differs from the folder, i.e. for aliases.
    const name = stringAt(entry, 'name') ?? location.slice(at + NODE_MODULES.length);
    const version = stringAt(entry, 'version');
    if (!version) {
      read.skipped.push(location);
      continue;
    }
    const licenses = npmLicenses(entry);
    read.packages.push({ type: 'npm', name, version, path, ...(licenses.length > 0 && { licenses }) });
  }
  return read;
}

function readDependencyTree(root: UntypedRecord, path: string, options: LockfileOptions): Read {
  const read: Read = { packages: [], skipped: [] };
  const pending: UntypedRecord[] = [root];
  for (let level = pending.pop(); level; level = pending.pop()) {
    for (const [key, entry] of Object.entries(level)) {
      if (!isRecord(entry)) continue;
      pending.push(recordAt(entry, 'dependencies'));
      if (entry.dev === true && !options.includeDev) continue;
      const found = versionOf(key, stringAt(entry, 'version') ?? '');
      if (found) read.packages.push({ type: 'npm', ...found, path });
      else read.skipped.push(`${key}@${stringAt(entry, 'version') ?? ''}`);
    }
  }
  return read;
}

/**
 * Version 1 writes the registry version, `npm:<real-name>@<version>` for an alias, or the source
 * (a git URL, `file:`, a tarball URL) when the package did not come from a registry.
 */
function versionOf(key: string, written: string): { name: string; version: string } | null {
  const alias = /^npm:(@?[^@]+)@(.+)$/.exec(written);
  if (alias?.[1] && alias[2]) return { name: alias[1], version: alias[2] };
  return /^\d/.test(written) ? { name: key, version: written } : null;
}
