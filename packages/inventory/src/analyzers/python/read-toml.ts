import { parse } from 'smol-toml';
import { PythonFileError } from './errors.js';
import type { UntypedRecord } from './untyped.js';

export function readToml(text: string, path: string): UntypedRecord {
  try {
    return parse(text);
  } catch (error) {
    throw new PythonFileError(path, 'not valid TOML', error);
  }
}
