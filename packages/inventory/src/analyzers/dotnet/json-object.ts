import { NugetFileError } from './errors.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's top-level object; NugetFileError when it is not JSON or not an object. */
export function readJsonObject(text: string, path: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NugetFileError(path, 'not valid JSON', error);
  }
  if (!isJsonObject(value)) throw new NugetFileError(path, 'not a JSON object');
  return value;
}
