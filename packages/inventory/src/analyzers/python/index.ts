import path from 'node:path';
import { parserAnalyzer, type ParsedFile, type ParserInput } from '../parser-analyzer.js';
import { parsePythonMetadata } from './parse-metadata.js';
import { parsePipfileLock } from './parse-pipfile-lock.js';
import { parsePoetryLock } from './parse-poetry-lock.js';
import { decodeRequirements, parseRequirements } from './parse-requirements.js';
import { parseUvLock } from './parse-uv-lock.js';
import { PRODUCTION_ONLY } from './parsed-file.js';
import { isInstalledMetadata, isProjectLockfile } from './python-paths.js';

/**
 * Installed distributions, from their core metadata. Separate from `python-lockfile`: it reads many
 * small files anywhere in the image, the other a few project files, and they change independently.
 */
export const pythonInstalled = parserAnalyzer({
  id: 'python-installed',
  version: 1,
  match: (filePath) => isInstalledMetadata(filePath),
  // Metadata is headers plus the README; the biggest real ones are a few hundred KB.
  maxFileSize: 4 * 1024 * 1024,
  parse: readInstalled,
});

/** What a project pinned: Pipfile.lock, poetry.lock, uv.lock and requirements*.txt, production only. */
export const pythonLockfile = parserAnalyzer({
  id: 'python-lockfile',
  version: 1,
  match: (filePath) => isProjectLockfile(filePath),
  parse: readLockfile,
});

function readInstalled(file: ParserInput): ParsedFile {
  const found = parsePythonMetadata(file.text(), file.path);
  if (found) return { packages: [found], warnings: [] };
  return {
    packages: [],
    warnings: [`${file.path}: no Name or Version header, so no package is read from it`],
  };
}

function readLockfile(file: ParserInput): ParsedFile {
  switch (path.posix.basename(file.path)) {
    case 'Pipfile.lock':
      return parsePipfileLock(file.text(), file.path, PRODUCTION_ONLY);
    case 'poetry.lock':
      return parsePoetryLock(file.text(), file.path, PRODUCTION_ONLY);
    case 'uv.lock':
      return parseUvLock(file.text(), file.path, PRODUCTION_ONLY);
    default:
      return parseRequirements(decodeRequirements(file.data), file.path);
  }
}
