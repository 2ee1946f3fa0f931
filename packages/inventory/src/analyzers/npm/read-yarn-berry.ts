import { isRecord, stringAt, stringEntries, type UntypedRecord } from '../untyped.js';
import type { YarnLockEntry } from './yarn-lock-entry.js';

/** Yarn 2+ writes YAML: one mapping per `"a@npm:^1, a@npm:^1.2"` key, plus `__metadata`. */
export function readYarnBerry(lock: UntypedRecord): YarnLockEntry[] {
  const entries: YarnLockEntry[] = [];
  for (const [key, block] of Object.entries(lock)) {
    if (key === '__metadata' || !isRecord(block)) continue;
    const fields = new Map<string, string>();
    for (const field of ['version', 'resolution']) {
      const value = stringAt(block, field);
      if (value !== undefined) fields.set(field, value);
    }
    entries.push({
      descriptors: key.split(',').map((descriptor) => descriptor.trim()),
      fields,
      dependencies: [
        ...stringEntries(block, 'dependencies'),
        ...stringEntries(block, 'optionalDependencies'),
      ],
    });
  }
  return entries;
}
