import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import { analyzeLockfiles, asWarning } from './analyze-lockfiles.js';
import { isInstalledPackageJson, isProjectFile } from './npm-paths.js';
import { parseInstalledPackageJson } from './parse-package-json.js';
import { PRODUCTION_ONLY } from './parsed-file.js';

/**
 * What a project declared: package-lock.json / npm-shrinkwrap.json, yarn.lock and pnpm-lock.yaml,
 * production packages only. A separate analyzer from `npm-installed` because it asks for different
 * files (lockfiles and the project's package.json, uncapped) and changes for different reasons.
 */
export const npmLockfile = {
  id: 'npm-lockfile',
  version: 1,
  kind: 'language',
  required: (path, info) => info.kind !== 'symlink' && isProjectFile(path),
  analyze: (files, _context) => analyzeLockfiles(files, PRODUCTION_ONLY),
} satisfies Analyzer;

/** What is installed: the package.json of every package folder under a node_modules directory. */
export const npmInstalled = {
  id: 'npm-installed',
  version: 1,
  kind: 'language',
  required: (path, info) => info.kind !== 'symlink' && isInstalledPackageJson(path),
  // A package's manifest is a few KB; old npm versions copied the README into it, which rarely passes 1 MB.
  maxFileSize: 4 * 1024 * 1024,
  analyze: (files, _context) => analyzeInstalled(files),
} satisfies Analyzer;

function analyzeInstalled(files: FileSet): AnalyzerResult {
  const result: Required<Pick<AnalyzerResult, 'packages' | 'warnings'>> = { packages: [], warnings: [] };
  for (const path of files.paths()) {
    const text = files.text(path);
    if (text === undefined) continue;
    try {
      const found = parseInstalledPackageJson(text, path);
      if (found) result.packages.push(found);
    } catch (error) {
      result.warnings.push(asWarning(error, path));
    }
  }
  return result;
}
