import type { EntryInfo } from '@customs/layers';
import type { Distro, FoundPackage, OwnedFiles } from './package.js';
import type { FileSet } from './file-set.js';
import type { UnreadRecord } from './incomplete.js';

export interface AnalyzeContext {
  /**
   * True for a path some language analyzer reads. OS analyzers keep only these paths in their
   * OwnedFiles, so ownership costs memory in proportion to language packages, not to all files.
   */
  isLanguagePath(path: string): boolean;
}

export interface AnalyzerResult {
  packages: FoundPackage[];
  distro?: Distro;
  ownedFiles?: OwnedFiles[];
  /** Problems worth telling the user that did not stop the analysis (a corrupt record, a skipped file). */
  warnings?: string[];
  /**
   * Required files this analysis could not read (one that does not parse): the packages in them are
   * missing. Each may repeat a warning word for word; the warning is then shown only as this record.
   */
  unread?: UnreadRecord[];
}

/**
 * One ecosystem. `required` is asked for every entry of every layer and must be cheap; `analyze` gets
 * the files of one layer that `required` accepted, gathered in a single pass over that layer.
 * Changing what `analyze` returns for the same input means bumping `version`: cached layer results of
 * the old version are then ignored.
 */
export interface Analyzer {
  id: string;
  version: number;
  /** 'os' analyzers read package-manager databases; 'language' analyzers read language metadata. */
  kind: 'os' | 'language';
  required(path: string, info: EntryInfo): boolean;
  /** Files bigger than this are not buffered for this analyzer (default: the walker's global cap). */
  maxFileSize?: number;
  /**
   * Analyse each required file on its own, as soon as it is read, then release it. For big files that
   * stand alone (Go binaries, jars); `analyze` then gets a FileSet holding that one file.
   */
  perFile?: boolean;
  analyze(files: FileSet, context: AnalyzeContext): Promise<AnalyzerResult> | AnalyzerResult;
}
