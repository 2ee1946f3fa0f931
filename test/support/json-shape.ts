// Narrowing of parsed JSON (CLI output, ground-truth files) to the shapes the tests read. Each helper
// throws with the JSON path of the offending value, so a contract break names the field.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown, where: string): JsonRecord {
  if (!isRecord(value)) throw new TypeError(`${where}: expected an object, got ${describe(value)}`);
  return value;
}

export function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected an array, got ${describe(value)}`);
  return value;
}

export function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TypeError(`${where}: expected a string, got ${describe(value)}`);
  return value;
}

export function asNumber(value: unknown, where: string): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: expected a number, got ${describe(value)}`);
  return value;
}

export function asStringOrNull(value: unknown, where: string): string | null {
  return value === null ? null : asString(value, where);
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`${where}: not JSON (${reason}): ${text.slice(0, 200)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 80))}` : typeof value;
}
