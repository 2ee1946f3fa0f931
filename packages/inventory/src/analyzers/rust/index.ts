import path from 'node:path';
import { describeError } from '@customs/errors';
import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import { MAX_EXECUTABLE_BYTES, isExecutableCandidate } from '../../binary/executable.js';
import type { FileSet } from '../../file-set.js';
import { parseCargoAuditable } from './parse-cargo-auditable.js';
import { parseCargoLock } from './parse-cargo-lock.js';

/** Cargo.lock files of Rust projects copied into an image. */
export const cargoLock = {
  id: 'cargo-lock',
  version: 1,
  kind: 'language',
  maxFileSize: 16 * 1024 * 1024,
  required: (filePath, info) => info.kind !== 'symlink' && path.posix.basename(filePath) === 'Cargo.lock',
  analyze: (files, _context) =>
    analyzeEach(files, (filePath, data) => parseCargoLock(data.toString('utf8'), filePath)),
} satisfies Analyzer;

/** Rust binaries built with cargo-auditable, which embeds the crates it compiled. */
export const cargoAuditable = {
  id: 'cargo-auditable',
  version: 1,
  kind: 'language',
  perFile: true,
  maxFileSize: MAX_EXECUTABLE_BYTES,
  required: (filePath, info) => isExecutableCandidate(filePath, info),
  analyze: (files, _context) =>
    analyzeEach(files, (filePath, data) => parseCargoAuditable(data, filePath) ?? []),
} satisfies Analyzer;

function analyzeEach(
  files: FileSet,
  parse: (path: string, data: Buffer) => AnalyzerResult['packages'],
): AnalyzerResult {
  const result: Required<Pick<AnalyzerResult, 'packages' | 'warnings'>> = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const data = files.read(filePath);
    if (!data) continue;
    try {
      result.packages.push(...parse(filePath, data));
    } catch (error) {
      result.warnings.push(describeError(error));
    }
  }
  return result;
}
