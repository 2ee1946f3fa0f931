/** Narrowing for lockfiles, which arrive as untyped JSON or TOML. */
export type UntypedRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is UntypedRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordAt(record: UntypedRecord, key: string): UntypedRecord {
  const value = record[key];
  return isRecord(value) ? value : {};
}

export function recordsAt(record: UntypedRecord, key: string): UntypedRecord[] {
  const value = record[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function stringAt(record: UntypedRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}
