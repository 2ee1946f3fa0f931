import type { FoundPackage } from '../../package.js';
import type { ParsedFile } from '../parser-analyzer.js';
import { readToml } from '../read-toml.js';
import { recordAt, recordsAt, stringAt, type UntypedRecord } from '../untyped.js';
import { distinctPackages, PRODUCTION_ONLY, skippedWarning, type LockfileOptions } from './parsed-file.js';

/**
 * `poetry.lock`, one `[[package]]` per locked package. Lock format 1.x marks development packages
 * `category = "dev"`; 2.1 (Poetry 2) lists the `groups` needing each package, and a package outside
 * `main` is development-only (Trivy reads it the same way). Lock 2.0 records neither, so every package
 * is kept. Path dependencies (`source.type = "directory"`) are the project's own code.
 */
export function parsePoetryLock(
  text: string,
  path: string,
  options: LockfileOptions = PRODUCTION_ONLY,
): ParsedFile {
  const lock = readToml(text, path, 'PYTHON_FILE_INVALID');
  const found: FoundPackage[] = [];
  const skipped: string[] = [];
  for (const entry of recordsAt(lock, 'package')) {
    if (stringAt(recordAt(entry, 'source'), 'type') === 'directory') continue;
    if (!options.includeDev && isDevelopmentOnly(entry)) continue;
    const name = stringAt(entry, 'name');
    const version = stringAt(entry, 'version');
    if (name && version) found.push({ type: 'pypi', name, version, path });
    else skipped.push(name ?? '(unnamed)');
  }
  return {
    packages: distinctPackages(found),
    warnings: skippedWarning(path, skipped, 'have no name or version and were skipped'),
  };
}

function isDevelopmentOnly(entry: UntypedRecord): boolean {
  if (stringAt(entry, 'category') === 'dev') return true;
  const groups = entry.groups;
  return Array.isArray(groups) && !groups.includes('main');
}
