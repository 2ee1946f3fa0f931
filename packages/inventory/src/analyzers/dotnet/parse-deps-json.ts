import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import { readJson } from '../read-json.js';
import { isRecord, type UntypedRecord } from '../untyped.js';

/** The SDK's prefix for the runtime bundled into a self-contained app (runtimepack.Microsoft.NETCore.App.Runtime.linux-x64). */
const RUNTIME_PACK_PREFIX = 'runtimepack.';
const ASSET_KINDS = ['runtime', 'runtimeTargets', 'native'];

/**
 * `<app>.deps.json`, which the .NET host reads to load a published application. Reported are its
 * `libraries` of type `package` (NuGet packages) and `runtimepack` (the runtime bundled by a
 * self-contained publish, named without the SDK's `runtimepack.` prefix so it matches advisories
 * for Microsoft.NETCore.App.Runtime.*); `project` libraries are the application's own code.
 * When the runtime target lists a library without any runtime, runtimeTargets or native assets, it
 * only served the build (analyzers, reference packs) and is left out, as Trivy does; a library the
 * target does not list at all is kept rather than guessed away.
 */
export function parseDepsJson(text: string, path: string): FoundPackage[] {
  const document = readJson(text, path, 'NUGET_FILE_INVALID');
  if (!isRecord(document)) throw new PackageFileError('NUGET_FILE_INVALID', path, 'not a JSON object');
  const libraries = document['libraries'];
  if (!isRecord(libraries)) throw new PackageFileError('NUGET_FILE_INVALID', path, 'no `libraries` object');
  const targetLibraries = runtimeTargetLibraries(document);
  const packages: FoundPackage[] = [];
  for (const [key, library] of Object.entries(libraries)) {
    const type =
      isRecord(library) && typeof library['type'] === 'string' ? library['type'].toLowerCase() : '';
    const slash = key.indexOf('/');
    if ((type !== 'package' && type !== 'runtimepack') || slash <= 0) continue;
    const target = targetLibraries?.[key];
    if (isRecord(target) && !ASSET_KINDS.some((kind) => hasEntries(target[kind]))) continue;
    const name = key.slice(0, slash).replace(RUNTIME_PACK_PREFIX, '');
    packages.push({ type: 'nuget', name, version: key.slice(slash + 1), path });
  }
  return packages;
}

function runtimeTargetLibraries(document: UntypedRecord): UntypedRecord | null {
  const runtimeTarget = document['runtimeTarget'];
  const targets = document['targets'];
  const name = isRecord(runtimeTarget) ? runtimeTarget['name'] : undefined;
  if (typeof name !== 'string' || !isRecord(targets)) return null;
  const libraries = targets[name];
  return isRecord(libraries) ? libraries : null;
}

function hasEntries(value: unknown): boolean {
  return isRecord(value) ? Object.keys(value).length > 0 : Array.isArray(value) && value.length > 0;
}
