import path from 'node:path';
import { parserAnalyzer } from '../parser-analyzer.js';
import { parseDepsJson } from './parse-deps-json.js';
import { parsePackagesLock } from './parse-packages-lock.js';

/** Published .NET applications: the `<app>.deps.json` beside their assemblies. */
export const dotnetDeps = parserAnalyzer({
  id: 'dotnet-deps',
  version: 1,
  maxFileSize: 16 * 1024 * 1024,
  match: (filePath) => filePath.endsWith('.deps.json'),
  parse: (file) => parseDepsJson(file.text(), file.path),
});

/** NuGet lock files of .NET projects copied into an image. */
export const nugetLock = parserAnalyzer({
  id: 'nuget-lock',
  version: 1,
  maxFileSize: 16 * 1024 * 1024,
  match: (filePath) => path.posix.basename(filePath) === 'packages.lock.json',
  parse: (file) => parsePackagesLock(file.text(), file.path),
});
