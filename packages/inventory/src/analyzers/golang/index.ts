import path from 'node:path';
import { describeError } from '@customs/errors';
import type { Analyzer, AnalyzerResult } from '../../analyzer.js';
import { MAX_EXECUTABLE_BYTES, isExecutableCandidate } from '../../binary/executable.js';
import type { FileSet } from '../../file-set.js';
import { parserAnalyzer } from '../parser-analyzer.js';
import { parseGoBinary } from './parse-go-binary.js';
import { parseGoMod } from './parse-go-mod.js';

/**
 * Go binaries: the modules and toolchain the linker recorded. Every executable is a candidate (Go
 * binaries have no telling name), so each is analysed alone as soon as it is read, then released.
 * Not a `parserAnalyzer`: a binary that is not even a readable ELF file is reported as
 * `<path>: <problem>` (its tests pin that form), not as a package file that cannot be read.
 */
export const goBinary = {
  id: 'go-binary',
  version: 1,
  kind: 'language',
  perFile: true,
  maxFileSize: MAX_EXECUTABLE_BYTES,
  required: (filePath, info) => isExecutableCandidate(filePath, info),
  analyze: (files, _context) => analyzeGoBinaries(files),
} satisfies Analyzer;

/**
 * go.mod files of Go source trees copied into an image (the module graph the build would use), and
 * the go.sum beside each, which completes the go.mod of modules older than Go 1.17.
 */
export const goMod = parserAnalyzer({
  id: 'go-mod',
  version: 1,
  match: (filePath) => path.posix.basename(filePath) === 'go.mod' && !inModuleCache(filePath),
  companion: (filePath) => path.posix.basename(filePath) === 'go.sum' && !inModuleCache(filePath),
  maxFileSize: 4 * 1024 * 1024,
  parse: (file) =>
    parseGoMod(file.text(), file.path, file.files.text(file.path.replace(/go\.mod$/, 'go.sum'))),
});

/**
 * The module cache (`$GOPATH/pkg/mod`) and vendor trees hold go.mod files of dependencies; their
 * requirements are not what the build used (minimal version selection picks from the main module).
 */
function inModuleCache(filePath: string): boolean {
  return /(^|\/)pkg\/mod\//.test(filePath) || /(^|\/)vendor\//.test(filePath);
}

function analyzeGoBinaries(files: FileSet): AnalyzerResult {
  const result: Required<Pick<AnalyzerResult, 'packages' | 'warnings'>> = { packages: [], warnings: [] };
  for (const filePath of files.paths()) {
    const data = files.read(filePath);
    if (!data) continue;
    try {
      result.packages.push(...(parseGoBinary(data, filePath) ?? []));
    } catch (error) {
      result.warnings.push(`${filePath}: ${describeError(error)}`);
    }
  }
  return result;
}
