import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import { readToml } from '../read-toml.js';
import { isRecord } from '../untyped.js';

/**
 * Cargo.lock, versions 1 to 4: one `[[package]]` table per crate with `name`, `version` and, for
 * crates from a registry or a git repository, `source`. A crate without `source` is a workspace
 * member or a path dependency — the project's own code — and is not reported: advisories concern
 * published crates, and a local crate that shares a crates.io name would match the wrong ones
 * (Trivy reports it, as the dependency graph's root). Very old v1 files put the root crate in a
 * `[root]` table, which is therefore ignored too.
 */
export function parseCargoLock(text: string, path: string): FoundPackage[] {
  const tables = readToml(text, path, 'CARGO_FILE_INVALID')['package'];
  if (tables !== undefined && !Array.isArray(tables))
    throw new PackageFileError('CARGO_FILE_INVALID', path, '`package` is not an array of tables');
  const packages: FoundPackage[] = [];
  for (const table of tables ?? []) {
    if (!isRecord(table)) continue;
    const { name, version, source } = table;
    if (typeof name !== 'string' || typeof version !== 'string' || typeof source !== 'string') continue;
    packages.push({ type: 'cargo', name, version, path });
  }
  return packages;
}
