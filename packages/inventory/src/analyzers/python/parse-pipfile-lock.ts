import type { FoundPackage } from '../../package.js';
import type { ParsedFile } from '../parser-analyzer.js';
import { readJsonObject } from '../read-json.js';
import { isRecord, recordAt, stringAt } from '../untyped.js';
import { distinctPackages, PRODUCTION_ONLY, skippedWarning, type LockfileOptions } from './parsed-file.js';

/**
 * `Pipfile.lock`: `default` holds what the app installs, `develop` what only development needs. A
 * registry package has `"version": "==1.2.3"`; git, path and editable entries have none.
 */
export function parsePipfileLock(
  text: string,
  path: string,
  options: LockfileOptions = PRODUCTION_ONLY,
): ParsedFile {
  const lock = readJsonObject(text, path, 'PYTHON_FILE_INVALID');
  const sections = options.includeDev ? ['default', 'develop'] : ['default'];
  const found: FoundPackage[] = [];
  const skipped: string[] = [];
  for (const section of sections) {
    for (const [name, entry] of Object.entries(recordAt(lock, section))) {
      const pin = isRecord(entry) ? /^===?(.+)$/.exec(stringAt(entry, 'version') ?? '') : null;
      const version = pin?.[1]?.trim();
      if (version) found.push({ type: 'pypi', name, version, path });
      else skipped.push(name);
    }
  }
  return {
    packages: distinctPackages(found),
    warnings: skippedWarning(
      path,
      skipped,
      'have no pinned version (git, path or editable) and were skipped',
    ),
  };
}
