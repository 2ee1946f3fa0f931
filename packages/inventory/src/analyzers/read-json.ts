import { PackageFileError, type PackageFileCode } from './package-file-error.js';
import { isRecord, type UntypedRecord } from './untyped.js';

/** The file's JSON value; a PackageFileError of `code` naming the file when it is not JSON. */
export function readJson(text: string, path: string, code: PackageFileCode): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PackageFileError(code, path, 'not valid JSON', error);
  }
}

/** The file's top-level JSON object; a PackageFileError when it is not JSON or not an object. */
export function readJsonObject(text: string, path: string, code: PackageFileCode): UntypedRecord {
  const value = readJson(text, path, code);
  if (!isRecord(value)) throw new PackageFileError(code, path, 'expected a JSON object at the top level');
  return value;
}
