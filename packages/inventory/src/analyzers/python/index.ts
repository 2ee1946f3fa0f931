import path from 'node:path';
import { isCustomsError } from '@customs/errors';
import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import { PythonFileError } from './errors.js';
import { parsePythonMetadata } from './parse-metadata.js';
import { parsePipfileLock } from './parse-pipfile-lock.js';
import { parsePoetryLock } from './parse-poetry-lock.js';
import { decodeRequirements, parseRequirements } from './parse-requirements.js';
import { parseUvLock } from './parse-uv-lock.js';
import { PRODUCTION_ONLY, type ParsedFile } from './parsed-file.js';
import { isInstalledMetadata, isProjectLockfile } from './python-paths.js';

/**
 * Installed distributions, from their core metadata. Separate from `python-lockfile`: it reads many
 * small files anywhere in the image, the other a few project files, and they change independently.
 */
export const pythonInstalled = {
  id: 'python-installed',
  version: 1,
  kind: 'language',
  required: (filePath, info) => info.kind !== 'symlink' && isInstalledMetadata(filePath),
  // Metadata is headers plus the README; the biggest real ones are a few hundred KB.
  maxFileSize: 4 * 1024 * 1024,
  analyze: (files, _context) => eachFile(files, readInstalled),
} satisfies Analyzer;

/** What a project pinned: Pipfile.lock, poetry.lock, uv.lock and requirements*.txt, production only. */
export const pythonLockfile = {
  id: 'python-lockfile',
  version: 1,
  kind: 'language',
  required: (filePath, info) => info.kind !== 'symlink' && isProjectLockfile(filePath),
  analyze: (files, _context) => eachFile(files, readLockfile),
} satisfies Analyzer;

function readInstalled(bytes: Buffer, filePath: string): ParsedFile {
  const found = parsePythonMetadata(bytes.toString('utf8'), filePath);
  if (found) return { packages: [found], warnings: [] };
  return {
    packages: [],
    warnings: [`${filePath}: no Name or Version header, so no package is read from it`],
  };
}

function readLockfile(bytes: Buffer, filePath: string): ParsedFile {
  switch (path.posix.basename(filePath)) {
    case 'Pipfile.lock':
      return parsePipfileLock(bytes.toString('utf8'), filePath, PRODUCTION_ONLY);
    case 'poetry.lock':
      return parsePoetryLock(bytes.toString('utf8'), filePath, PRODUCTION_ONLY);
    case 'uv.lock':
      return parseUvLock(bytes.toString('utf8'), filePath, PRODUCTION_ONLY);
    default:
      return parseRequirements(decodeRequirements(bytes), filePath);
  }
}

/** Parses each file on its own; bad input becomes a warning against that file, never a failed scan. */
function eachFile(files: FileSet, parse: (bytes: Buffer, filePath: string) => ParsedFile): AnalyzerResult {
  const result: Required<Pick<AnalyzerResult, 'packages' | 'warnings'>> = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const bytes = files.read(filePath);
    if (bytes === undefined) continue;
    try {
      const parsed = parse(bytes, filePath);
      result.packages.push(...parsed.packages);
      result.warnings.push(...parsed.warnings);
    } catch (error) {
      result.warnings.push(asWarning(error, filePath));
    }
  }
  return result;
}

function asWarning(error: unknown, filePath: string): string {
  if (isCustomsError(error)) return error.toLine();
  const reason = error instanceof Error ? error.message : String(error);
  return new PythonFileError(filePath, `unexpected parser failure: ${reason}`, error).toLine();
}
