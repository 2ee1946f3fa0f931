/** Narrowing for manifests and lockfiles, which arrive as untyped JSON, YAML or TOML. */
export type UntypedRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is UntypedRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record at `key`, or an empty one when it is absent or not an object. */
export function recordAt(record: UntypedRecord, key: string): UntypedRecord {
  const value = record[key];
  return isRecord(value) ? value : {};
}

/** The records of the array at `key`, skipping anything else; empty when it is absent or not an array. */
export function recordsAt(record: UntypedRecord, key: string): UntypedRecord[] {
  const value = record[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function stringAt(record: UntypedRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** A `{ name: range }` map such as `dependencies`, keeping only string values. */
export function stringEntries(record: UntypedRecord, key: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(recordAt(record, key))) {
    if (typeof value === 'string') entries.push([name, value]);
  }
  return entries;
}
