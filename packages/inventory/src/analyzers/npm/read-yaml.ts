import { parseAllDocuments } from 'yaml';
import { PackageFileError } from '../package-file-error.js';
import { isRecord, type UntypedRecord } from '../untyped.js';

/**
 * The last YAML document of a lockfile. Every scalar stays a string (the failsafe schema): a version
 * written `1.10` must not become the number 1.1. pnpm can put its own tool lockfile first, as a
 * separate document; the project's lockfile is the last one.
 */
export function readLastYamlDocument(text: string, path: string): UntypedRecord {
  let documents;
  try {
    documents = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false });
  } catch (error) {
    throw new PackageFileError('NPM_FILE_INVALID', path, 'not valid YAML', error);
  }
  if (!Array.isArray(documents))
    throw new PackageFileError('NPM_FILE_INVALID', path, 'no YAML document in the file');
  const last = documents.at(-1);
  if (!last) throw new PackageFileError('NPM_FILE_INVALID', path, 'no YAML document in the file');
  const [firstError] = last.errors;
  if (firstError)
    throw new PackageFileError('NPM_FILE_INVALID', path, `not valid YAML: ${firstError.message}`, firstError);
  const value: unknown = last.toJS({ maxAliasCount: 100 });
  if (!isRecord(value))
    throw new PackageFileError('NPM_FILE_INVALID', path, 'expected a YAML mapping at the top level');
  return value;
}
