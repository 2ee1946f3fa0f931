import path from 'node:path';
import { isCustomsError } from '@customs/errors';
import type { AnalyzerResult } from '../../analyzer.js';
import type { FileSet } from '../../file-set.js';
import { NpmFileError } from './errors.js';
import { LOCKFILE_NAMES } from './npm-paths.js';
import { parsePackageLock } from './parse-package-lock.js';
import { parseProjectManifest, type ProjectManifest } from './parse-package-json.js';
import { parsePnpmLock } from './parse-pnpm-lock.js';
import { parseYarnLock } from './parse-yarn-lock.js';
import type { LockfileOptions, ParsedFile } from './parsed-file.js';
import { workspaceManifestPaths } from './workspace-manifests.js';

/** Every npm, yarn and pnpm lockfile of one layer; a file that cannot be read becomes a warning. */
export function analyzeLockfiles(files: FileSet, options: LockfileOptions): AnalyzerResult {
  const result: Required<Pick<AnalyzerResult, 'packages' | 'warnings'>> = { packages: [], warnings: [] };
  for (const lockPath of files.paths()) {
    const name = path.posix.basename(lockPath);
    const text = LOCKFILE_NAMES.has(name) ? files.text(lockPath) : undefined;
    if (text === undefined) continue;
    try {
      const parsed = parseLockfile(name, text, lockPath, files, result.warnings, options);
      result.packages.push(...parsed.packages);
      result.warnings.push(...parsed.warnings);
    } catch (error) {
      result.warnings.push(asWarning(error, lockPath));
    }
  }
  return result;
}

function parseLockfile(
  name: string,
  text: string,
  lockPath: string,
  files: FileSet,
  warnings: string[],
  options: LockfileOptions,
): ParsedFile {
  switch (name) {
    case 'yarn.lock':
      return parseYarnLock(text, lockPath, projectManifests(lockPath, files, warnings), options);
    case 'pnpm-lock.yaml':
      return parsePnpmLock(text, lockPath, options);
    default:
      return parsePackageLock(text, lockPath, options);
  }
}

/** The package.json beside a yarn.lock, then those of the workspaces it declares, as found in this layer. */
function projectManifests(lockPath: string, files: FileSet, warnings: string[]): ProjectManifest[] {
  const projectDir = path.posix.dirname(lockPath);
  const rootPath = path.posix.join(projectDir, 'package.json');
  const root = readManifest(rootPath, files, warnings);
  if (!root) return [];
  const candidates = files
    .paths()
    .filter((candidate) => candidate.endsWith('/package.json') && candidate !== rootPath);
  const members = workspaceManifestPaths(projectDir, root.workspaces, candidates);
  return [root, ...members.flatMap((member) => readManifest(member, files, warnings) ?? [])];
}

function readManifest(manifestPath: string, files: FileSet, warnings: string[]): ProjectManifest | undefined {
  const text = files.text(manifestPath);
  if (text === undefined) return undefined;
  try {
    return parseProjectManifest(text, manifestPath);
  } catch (error) {
    warnings.push(asWarning(error, manifestPath));
    return undefined;
  }
}

/** Bad input must not stop the scan: anything a parser throws is reported against its file. */
export function asWarning(error: unknown, filePath: string): string {
  if (isCustomsError(error)) return error.toLine();
  const reason = error instanceof Error ? error.message : String(error);
  return new NpmFileError(filePath, `unexpected parser failure: ${reason}`, error).toLine();
}
