import path from 'node:path';
import { describeError } from '@customs/errors';
import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import type { FoundPackage } from '../../package.js';
import { parseDepsJson } from './parse-deps-json.js';
import { parsePackagesLock } from './parse-packages-lock.js';

/** Published .NET applications: the `<app>.deps.json` beside their assemblies. */
export const dotnetDeps = {
  id: 'dotnet-deps',
  version: 1,
  kind: 'language',
  maxFileSize: 16 * 1024 * 1024,
  required: (filePath, info) => info.kind !== 'symlink' && filePath.endsWith('.deps.json'),
  analyze: (files, _context) => analyzeEach(files, parseDepsJson),
} satisfies Analyzer;

/** NuGet lock files of .NET projects copied into an image. */
export const nugetLock = {
  id: 'nuget-lock',
  version: 1,
  kind: 'language',
  maxFileSize: 16 * 1024 * 1024,
  required: (filePath, info) =>
    info.kind !== 'symlink' && path.posix.basename(filePath) === 'packages.lock.json',
  analyze: (files, _context) => analyzeEach(files, parsePackagesLock),
} satisfies Analyzer;

function analyzeEach(files: FileSet, parse: (text: string, path: string) => FoundPackage[]): AnalyzerResult {
  const result: Required<Pick<AnalyzerResult, 'packages' | 'warnings'>> = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const text = files.text(filePath);
    if (text === undefined) continue;
    try {
      result.packages.push(...parse(text, filePath));
    } catch (error) {
      result.warnings.push(describeError(error));
    }
  }
  return result;
}
