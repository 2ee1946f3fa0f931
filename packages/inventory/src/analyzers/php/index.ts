import path from 'node:path';
import { describeError } from '@customs/errors';
import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import type { FoundPackage } from '../../package.js';
import { parseComposerLock } from './parse-composer-lock.js';
import { parseInstalledJson } from './parse-installed-json.js';

/**
 * PHP packages: composer.lock of applications, and `<vendor dir>/composer/installed.json`, the
 * record of what is installed. Image assembly drops a lockfile's package when the same package is
 * installed beneath the lockfile's directory, so an app with both is not reported twice.
 */
export const composer = {
  id: 'composer',
  version: 1,
  kind: 'language',
  maxFileSize: 16 * 1024 * 1024,
  required: (filePath, info) => info.kind !== 'symlink' && parserFor(filePath) !== null,
  analyze: (files, _context) => analyzeComposerFiles(files),
} satisfies Analyzer;

type Parser = (text: string, path: string) => FoundPackage[];

function parserFor(filePath: string): Parser | null {
  if (path.posix.basename(filePath) === 'composer.lock') return parseComposerLock;
  return /(^|\/)composer\/installed\.json$/.test(filePath) ? parseInstalledJson : null;
}

function analyzeComposerFiles(files: FileSet): AnalyzerResult {
  const result: Required<Pick<AnalyzerResult, 'packages' | 'warnings'>> = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const text = files.text(filePath);
    const parse = parserFor(filePath);
    if (text === undefined || !parse) continue;
    try {
      result.packages.push(...parse(text, filePath));
    } catch (error) {
      result.warnings.push(describeError(error));
    }
  }
  return result;
}
