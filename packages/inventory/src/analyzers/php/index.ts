import path from 'node:path';
import { parserAnalyzer } from '../parser-analyzer.js';
import { parseComposerLock } from './parse-composer-lock.js';
import { parseInstalledJson } from './parse-installed-json.js';

/**
 * PHP packages: composer.lock of applications, and `<vendor dir>/composer/installed.json`, the
 * record of what is installed. Image assembly drops a lockfile's package when the same package is
 * installed beneath the lockfile's directory, so an app with both is not reported twice.
 */
export const composer = parserAnalyzer({
  id: 'composer',
  version: 1,
  maxFileSize: 16 * 1024 * 1024,
  match: (filePath) => isComposerLock(filePath) || isInstalledJson(filePath),
  parse: (file) =>
    isComposerLock(file.path)
      ? parseComposerLock(file.text(), file.path)
      : parseInstalledJson(file.text(), file.path),
});

function isComposerLock(filePath: string): boolean {
  return path.posix.basename(filePath) === 'composer.lock';
}

function isInstalledJson(filePath: string): boolean {
  return /(^|\/)composer\/installed\.json$/.test(filePath);
}
