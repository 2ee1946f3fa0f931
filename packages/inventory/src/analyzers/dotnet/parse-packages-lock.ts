import type { FoundPackage } from '../../package.js';
import { NugetFileError } from './errors.js';
import { isJsonObject, readJsonObject } from './json-object.js';

/**
 * `packages.lock.json` (NuGet lock files): per target framework, one entry per package with its
 * `type` (Direct, Transitive, CentralTransitive, Project) and `resolved` version. A package locked
 * for several frameworks is reported once; Project entries are the solution's own projects.
 */
export function parsePackagesLock(text: string, path: string): FoundPackage[] {
  const frameworks = readJsonObject(text, path)['dependencies'];
  if (!isJsonObject(frameworks)) throw new NugetFileError(path, 'no `dependencies` object');
  const seen = new Set<string>();
  const packages: FoundPackage[] = [];
  for (const entries of Object.values(frameworks)) {
    if (!isJsonObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (!isJsonObject(entry) || entry['type'] === 'Project') continue;
      const version = entry['resolved'];
      if (typeof version !== 'string' || seen.has(`${name}@${version}`)) continue;
      seen.add(`${name}@${version}`);
      packages.push({ type: 'nuget', name, version, path });
    }
  }
  return packages;
}
