import path from 'node:path';
import type { FileSet } from '../../file-set.js';
import { unreadable, type ParsedFile, type ParserInput } from '../parser-analyzer.js';
import { parseProjectManifest, type ProjectManifest } from './parse-package-json.js';
import { parsePackageLock } from './parse-package-lock.js';
import { parsePnpmLock } from './parse-pnpm-lock.js';
import { parseYarnLock } from './parse-yarn-lock.js';
import type { LockfileOptions } from './parsed-file.js';
import { workspaceManifestPaths } from './workspace-manifests.js';

/** An npm, yarn or pnpm lockfile, by its name; yarn.lock also reads its project's package.json files. */
export function parseLockfile(file: ParserInput, options: LockfileOptions): ParsedFile {
  const { path: lockPath, files, warn } = file;
  switch (path.posix.basename(lockPath)) {
    case 'yarn.lock':
      return parseYarnLock(file.text(), lockPath, projectManifests(lockPath, files, warn), options);
    case 'pnpm-lock.yaml':
      return parsePnpmLock(file.text(), lockPath, options);
    default:
      return parsePackageLock(file.text(), lockPath, options);
  }
}

type Warn = ParserInput['warn'];

/** The package.json beside a yarn.lock, then those of the workspaces it declares, as found in this layer. */
function projectManifests(lockPath: string, files: FileSet, warn: Warn): ProjectManifest[] {
  const projectDir = path.posix.dirname(lockPath);
  const rootPath = path.posix.join(projectDir, 'package.json');
  const root = readManifest(rootPath, files, warn);
  if (!root) return [];
  const candidates = files
    .paths()
    .filter((candidate) => candidate.endsWith('/package.json') && candidate !== rootPath);
  const members = workspaceManifestPaths(projectDir, root.workspaces, candidates);
  return [root, ...members.flatMap((member) => readManifest(member, files, warn) ?? [])];
}

function readManifest(manifestPath: string, files: FileSet, warn: Warn): ProjectManifest | undefined {
  const text = files.text(manifestPath);
  if (text === undefined) return undefined;
  try {
    return parseProjectManifest(text, manifestPath);
  } catch (error) {
    warn(unreadable(error, manifestPath).toLine());
    return undefined;
  }
}
