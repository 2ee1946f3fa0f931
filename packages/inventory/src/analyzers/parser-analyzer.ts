import { isCustomsError, type CustomsError } from '@customs/errors';
import type { EntryInfo } from '@customs/layers';
import type { Analyzer, AnalyzerResult } from '../analyzer.js';
import type { FileSet } from '../file-set.js';
import type { UnreadRecord } from '../incomplete.js';
import type { FoundPackage } from '../package.js';
import { PackageFileError } from './package-file-error.js';

/** What one file yields: its packages, and what was skipped or odd in it, for the user to see. */
export interface ParsedFile {
  packages: FoundPackage[];
  warnings: string[];
}

/** One file to parse, with the rest of what the analyzer collected from the same layer. */
export interface ParserInput {
  path: string;
  data: Buffer;
  /** The file's bytes as UTF-8 text. */
  text(): string;
  /** Everything this analyzer collected from the layer, for companions read beside this file. */
  files: FileSet;
  /**
   * Reports a problem with a companion file (a broken package.json beside a yarn.lock). It is kept
   * even when the parse then fails, so a companion's problem is never lost behind the main file's.
   */
  warn(message: string): void;
}

/** A pure parser of one file: its packages (with warnings), or nothing to report. */
export type Parser = (input: ParserInput) => ParsedFile | readonly FoundPackage[] | null;

export interface ParserAnalyzerSpec {
  id: string;
  /** Bump when `parse` returns something else for the same input: cached layer results then miss. */
  version: number;
  /**
   * The files parsed, each on its own. Asked for every entry of every layer, so it must be cheap.
   * Symlinks are never asked about: the file a link points to is parsed under its own path.
   */
  match(path: string, info: EntryInfo): boolean;
  /**
   * Files collected only so that a parser can read them beside a matched one (the go.sum beside a
   * go.mod); they are not parsed on their own. Must not accept a path `match` accepts.
   */
  companion?(path: string): boolean;
  parse: Parser;
  maxFileSize?: number;
  perFile?: boolean;
}

/**
 * A language analyzer built from a predicate and a pure parser, the shape of syft's generic cataloger.
 * It owns the loop over the layer's files, in path order, and the error handling: whatever a parser
 * throws becomes one warning naming the file, and the other files are still read.
 */
export function parserAnalyzer(spec: ParserAnalyzerSpec): Analyzer {
  const { id, version, match, companion, parse, maxFileSize, perFile } = spec;
  return {
    id,
    version,
    kind: 'language',
    ...(maxFileSize === undefined ? {} : { maxFileSize }),
    ...(perFile === undefined ? {} : { perFile }),
    required: (path, info) => info.kind !== 'symlink' && (match(path, info) || (companion?.(path) ?? false)),
    analyze: (files) => parseEach(files, parse, companion),
  };
}

function parseEach(
  files: FileSet,
  parse: Parser,
  companion: ((path: string) => boolean) | undefined,
): AnalyzerResult {
  const result: ParsedFile & { unread: UnreadRecord[] } = { packages: [], warnings: [], unread: [] };
  const warn = (message: string): void => void result.warnings.push(message);
  for (const path of files.paths()) {
    if (companion?.(path)) continue;
    const data = files.read(path);
    if (data === undefined) continue;
    try {
      const parsed = parse({ path, data, text: () => data.toString('utf8'), files, warn });
      if (parsed === null) continue;
      if (isParsedFile(parsed)) {
        result.packages.push(...parsed.packages);
        result.warnings.push(...parsed.warnings);
      } else {
        result.packages.push(...parsed);
      }
    } catch (error) {
      const failure = unreadable(error, path);
      const reason = failure.toLine();
      result.warnings.push(reason);
      result.unread.push({ path, code: failure.code, reason });
    }
  }
  return result;
}

function isParsedFile(parsed: ParsedFile | readonly FoundPackage[]): parsed is ParsedFile {
  return !Array.isArray(parsed);
}

/** The error a failed parse is reported as: the parser's own, naming the file, or a wrapper that does. */
export function unreadable(error: unknown, path: string): CustomsError {
  if (isCustomsError(error)) return error.context.path === undefined ? error.within({ path }) : error;
  const reason = error instanceof Error ? error.message : String(error);
  return new PackageFileError(
    'PACKAGE_FILE_UNPARSEABLE',
    path,
    `unexpected parser failure: ${reason}`,
    error,
  );
}
