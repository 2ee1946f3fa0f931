import path from 'node:path';
import { describeError } from '@customs/errors';
import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import { parseGemfileLock } from './parse-gemfile-lock.js';
import { parseGemspec } from './parse-gemspec.js';

/**
 * Installed gems: the specifications RubyGems keeps for every installed gem, default gems
 * (`specifications/default/`) included, wherever the gem directory is (/usr/local/bundle,
 * /usr/lib/ruby/gems/3.1.0, /var/lib/gems, Debian's /usr/share/rubygems-integration).
 */
export const rubyGemspec = {
  id: 'ruby-gemspec',
  version: 1,
  kind: 'language',
  maxFileSize: 1024 * 1024,
  required: (filePath, info) =>
    info.kind !== 'symlink' && /(^|\/)specifications\/(default\/)?[^/]+\.gemspec$/.test(filePath),
  analyze: (files, _context) => analyzeGemspecs(files),
} satisfies Analyzer;

/** Bundler lockfiles of Ruby applications copied into an image. */
export const gemfileLock = {
  id: 'gemfile-lock',
  version: 1,
  kind: 'language',
  maxFileSize: 4 * 1024 * 1024,
  required: (filePath, info) => info.kind !== 'symlink' && path.posix.basename(filePath) === 'Gemfile.lock',
  analyze: (files, _context) => analyzeGemfileLocks(files),
} satisfies Analyzer;

type Collected = Required<Pick<AnalyzerResult, 'packages' | 'warnings'>>;

function analyzeGemspecs(files: FileSet): AnalyzerResult {
  const result: Collected = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const text = files.text(filePath);
    if (text === undefined) continue;
    try {
      result.packages.push(parseGemspec(text, filePath));
    } catch (error) {
      result.warnings.push(describeError(error));
    }
  }
  return result;
}

function analyzeGemfileLocks(files: FileSet): AnalyzerResult {
  const result: Collected = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const text = files.text(filePath);
    if (text === undefined) continue;
    const parsed = parseGemfileLock(text, filePath);
    result.packages.push(...parsed.packages);
    result.warnings.push(...parsed.warnings);
  }
  return result;
}
