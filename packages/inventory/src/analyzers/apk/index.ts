import type { AnalyzeContext, Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import { parseApkInstalled } from './parse-apk-installed.js';

const INSTALLED = 'lib/apk/db/installed';

export const apk = {
  id: 'apk',
  version: 1,
  kind: 'os',
  required: (path, _info) => path === INSTALLED,
  analyze: (files, context) => analyzeApk(files, context),
} satisfies Analyzer;

function analyzeApk(files: FileSet, context: AnalyzeContext): AnalyzerResult {
  const text = files.text(INSTALLED);
  if (text === undefined) return { packages: [] };
  const { entries, warnings } = parseApkInstalled(text, {
    path: INSTALLED,
    keepFile: (path) => context.isLanguagePath(path),
  });
  return {
    packages: entries.map(({ pkg }) => pkg),
    ownedFiles: entries
      .filter(({ files: owned }) => owned.length > 0)
      .map(({ pkg, files: owned }) => ({
        owner: { type: 'apk', name: pkg.name, version: pkg.version, ...(pkg.arch ? { arch: pkg.arch } : {}) },
        paths: owned,
      })),
    warnings: warnings.map((warning) => `${INSTALLED}: ${warning}`),
  };
}
