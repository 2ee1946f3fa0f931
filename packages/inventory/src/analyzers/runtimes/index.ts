import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import { MAX_EXECUTABLE_BYTES } from '../../binary/executable.js';
import type { FileSet } from '../../file-set.js';
import type { FoundPackage } from '../../package.js';
import { RUNTIME_CLASSIFIERS } from './classifiers.js';

const classifierFor = (filePath: string, executable: boolean) =>
  RUNTIME_CLASSIFIERS.find((classifier) => classifier.matches(filePath, executable));

/**
 * Runtimes installed without a package manager (official node/python/eclipse-temurin images, a
 * tarball under /opt): Node.js, CPython and OpenJDK, as `generic` packages. Each candidate file is
 * read alone and released, like Go binaries. Copies an OS package owns are dropped at assembly: the
 * distribution's package already lists them.
 */
export const runtimeBinaries = {
  id: 'runtime-binaries',
  version: 1,
  kind: 'language',
  perFile: true,
  maxFileSize: MAX_EXECUTABLE_BYTES,
  required: (filePath, info) =>
    info.kind !== 'symlink' && classifierFor(filePath, (info.mode & 0o111) !== 0) !== undefined,
  analyze: (files) => classify(files),
} satisfies Analyzer;

function classify(files: FileSet): AnalyzerResult {
  const packages: FoundPackage[] = [];
  for (const filePath of files.paths()) {
    const data = files.read(filePath);
    // The x bit was checked when the file was asked for; here only the path and bytes decide.
    const classifier = classifierFor(filePath, true);
    if (!data || !classifier) continue;
    const version = classifier.version(data, filePath);
    if (version) packages.push({ type: 'generic', name: classifier.name, version, path: filePath });
  }
  return { packages };
}
