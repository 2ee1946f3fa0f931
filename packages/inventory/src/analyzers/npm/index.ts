import { parserAnalyzer } from '../parser-analyzer.js';
import { isInstalledPackageJson, isProjectLockfile, isProjectManifest } from './npm-paths.js';
import { parseLockfile } from './parse-lockfile.js';
import { parseInstalledPackageJson } from './parse-package-json.js';
import { PRODUCTION_ONLY } from './parsed-file.js';

/**
 * What a project declared: package-lock.json / npm-shrinkwrap.json, yarn.lock and pnpm-lock.yaml,
 * production packages only. A separate analyzer from `npm-installed` because it asks for different
 * files (lockfiles and the project's package.json, uncapped) and changes for different reasons.
 */
export const npmLockfile = parserAnalyzer({
  id: 'npm-lockfile',
  version: 1,
  match: (path) => isProjectLockfile(path),
  // A yarn.lock alone cannot tell production from development packages; its project's manifests can.
  companion: (path) => isProjectManifest(path),
  parse: (file) => parseLockfile(file, PRODUCTION_ONLY),
});

/** What is installed: the package.json of every package folder under a node_modules directory. */
export const npmInstalled = parserAnalyzer({
  id: 'npm-installed',
  version: 1,
  match: (path) => isInstalledPackageJson(path),
  // A package's manifest is a few KB; old npm versions copied the README into it, which rarely passes 1 MB.
  maxFileSize: 4 * 1024 * 1024,
  parse: (file) => {
    const found = parseInstalledPackageJson(file.text(), file.path);
    return found ? [found] : [];
  },
});
