import { parse } from 'smol-toml';
import { PackageFileError, type PackageFileCode } from './package-file-error.js';
import type { UntypedRecord } from './untyped.js';

/** The file's TOML document; a PackageFileError of `code` naming the file when it is not TOML. */
export function readToml(text: string, path: string, code: PackageFileCode): UntypedRecord {
  try {
    return parse(text);
  } catch (error) {
    throw new PackageFileError(code, path, 'not valid TOML', error);
  }
}
