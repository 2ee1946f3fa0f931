import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import { readJson } from '../read-json.js';
import { isRecord } from '../untyped.js';

/**
 * `packages.lock.json` (NuGet lock files): per target framework, one entry per package with its
 * `type` (Direct, Transitive, CentralTransitive, Project) and `resolved` version. A package locked
 * for several frameworks is reported once; Project entries are the solution's own projects.
 */
export function parsePackagesLock(text: string, path: string): FoundPackage[] {
  const document = readJson(text, path, 'NUGET_FILE_INVALID');
  if (!isRecord(document)) throw new PackageFileError('NUGET_FILE_INVALID', path, 'not a JSON object');
  const frameworks = document['dependencies'];
  if (!isRecord(frameworks))
    throw new PackageFileError('NUGET_FILE_INVALID', path, 'no `dependencies` object');
  const seen = new Set<string>();
  const packages: FoundPackage[] = [];
  for (const entries of Object.values(frameworks)) {
    if (!isRecord(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (!isRecord(entry) || entry['type'] === 'Project') continue;
      const version = entry['resolved'];
      if (typeof version !== 'string' || seen.has(`${name}@${version}`)) continue;
      seen.add(`${name}@${version}`);
      packages.push({ type: 'nuget', name, version, path });
    }
  }
  return packages;
}
