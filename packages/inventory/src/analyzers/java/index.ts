import path from 'node:path';
import { describeError } from '@customs/errors';
import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import { ARCHIVE_EXTENSION, parseJavaArchive } from './parse-java-archive.js';
import { parseGradleLockfile } from './parse-gradle-lockfile.js';

/** Enterprise archives with all their libraries reach a few hundred MB; each is read alone. */
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** Java archives (jar, war, ear, par, hpi, jpi) and the archives nested in them. */
export const javaArchive = {
  id: 'java-archive',
  version: 1,
  kind: 'language',
  perFile: true,
  maxFileSize: MAX_ARCHIVE_BYTES,
  required: (filePath, info) => info.kind !== 'symlink' && ARCHIVE_EXTENSION.test(filePath),
  analyze: (files, _context) => analyzeArchives(files),
} satisfies Analyzer;

/** Gradle dependency lockfiles of projects copied into an image. */
export const gradleLockfile = {
  id: 'gradle-lockfile',
  version: 1,
  kind: 'language',
  maxFileSize: 4 * 1024 * 1024,
  required: (filePath, info) =>
    info.kind !== 'symlink' && path.posix.basename(filePath) === 'gradle.lockfile',
  analyze: (files, _context) => analyzeGradleLockfiles(files),
} satisfies Analyzer;

type Collected = Required<Pick<AnalyzerResult, 'packages' | 'warnings'>>;

function analyzeArchives(files: FileSet): AnalyzerResult {
  const result: Collected = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const data = files.read(filePath);
    if (!data) continue;
    try {
      const parsed = parseJavaArchive(data, filePath);
      result.packages.push(...parsed.packages);
      result.warnings.push(...parsed.warnings);
    } catch (error) {
      result.warnings.push(describeError(error));
    }
  }
  return result;
}

function analyzeGradleLockfiles(files: FileSet): AnalyzerResult {
  const result: Collected = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const text = files.text(filePath);
    if (text === undefined) continue;
    const parsed = parseGradleLockfile(text, filePath);
    result.packages.push(...parsed.packages);
    result.warnings.push(...parsed.warnings);
  }
  return result;
}
