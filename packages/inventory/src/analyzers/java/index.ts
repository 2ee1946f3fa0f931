import path from 'node:path';
import { parserAnalyzer } from '../parser-analyzer.js';
import { parseGradleLockfile } from './parse-gradle-lockfile.js';
import { ARCHIVE_EXTENSION, parseJavaArchive } from './parse-java-archive.js';

/** Enterprise archives with all their libraries reach a few hundred MB; each is read alone. */
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** Java archives (jar, war, ear, par, hpi, jpi) and the archives nested in them. */
export const javaArchive = parserAnalyzer({
  id: 'java-archive',
  version: 1,
  perFile: true,
  maxFileSize: MAX_ARCHIVE_BYTES,
  match: (filePath) => ARCHIVE_EXTENSION.test(filePath),
  parse: (file) => parseJavaArchive(file.data, file.path),
});

/** Gradle dependency lockfiles of projects copied into an image. */
export const gradleLockfile = parserAnalyzer({
  id: 'gradle-lockfile',
  version: 1,
  maxFileSize: 4 * 1024 * 1024,
  match: (filePath) => path.posix.basename(filePath) === 'gradle.lockfile',
  parse: (file) => parseGradleLockfile(file.text(), file.path),
});
