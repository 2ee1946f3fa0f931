import { describeError } from '@customs/errors';
import { FileSet, type AnalyzeContext, type Analyzer, type AnalyzerResult } from '@customs/inventory';
import { DEFAULT_LIMITS, type CollectedFile, type EntryInfo, type LayerScan } from '@customs/layers';
import { analyzerKey, type AnalyzerOutput, type LayerFacts } from './layer-cache.js';

/** What a language analyzer's `required` is asked when all we have is a path from an OS file list. */
const OWNED_PATH_PROBE: EntryInfo = { size: 1024 * 1024, mode: 0o755, kind: 'file' };

/**
 * Sits between the layer walker and the analyzers that still have to see one layer: tells the walker
 * which entries to keep, runs per-file analyzers as soon as their file is read (then lets it go), and
 * runs the others on what was kept once the walk is over.
 */
export class AnalyzerRouter {
  readonly #running: readonly Analyzer[];
  readonly #wantedBy = new Map<string, Analyzer[]>();
  readonly #outputs = new Map<Analyzer, AnalyzerOutput>();
  readonly #walkWarnings: string[] = [];
  readonly #context: AnalyzeContext;

  /** `running` are analysed now; `all` (a superset) decides which paths count as language files. */
  constructor(running: readonly Analyzer[], all: readonly Analyzer[] = running) {
    this.#running = running;
    const language = all.filter((analyzer) => analyzer.kind === 'language');
    this.#context = { isLanguagePath: (path) => language.some((a) => a.required(path, OWNED_PATH_PROBE)) };
    for (const analyzer of running) this.#outputs.set(analyzer, emptyOutput());
  }

  /** The largest file any analyzer reads: the walker's per-file cap. */
  static maxFileBytes(analyzers: readonly Analyzer[]): number {
    return Math.max(DEFAULT_LIMITS.maxFileBytes, ...analyzers.map((a) => a.maxFileSize ?? 0));
  }

  wants = (path: string, info: EntryInfo): boolean => {
    const takers = this.#running.filter((analyzer) => analyzer.required(path, info));
    if (takers.length === 0) return false;
    const within = takers.filter(
      (analyzer) => info.size <= (analyzer.maxFileSize ?? DEFAULT_LIMITS.maxFileBytes),
    );
    for (const analyzer of takers.filter((a) => !within.includes(a))) {
      this.#walkWarnings.push(
        `${path}: ${info.size} bytes is more than the ${analyzer.id} analyzer reads; skipped`,
      );
    }
    if (within.length === 0) return false;
    this.#wantedBy.set(path, within);
    for (const analyzer of within) this.#outputs.get(analyzer)?.files.push(path);
    return true;
  };

  onFile = async (file: CollectedFile): Promise<'keep' | 'release'> => {
    const takers = this.#wantedBy.get(file.path) ?? [];
    for (const analyzer of takers.filter((a) => a.perFile)) await this.#run(analyzer, [file]);
    return takers.some((analyzer) => !analyzer.perFile) ? 'keep' : 'release';
  };

  /** Runs the whole-layer analyzers and returns the walk's facts and each running analyzer's output. */
  async finish(scan: LayerScan): Promise<{ facts: LayerFacts; outputs: Map<string, AnalyzerOutput> }> {
    await Promise.all(
      this.#running
        .filter((analyzer) => !analyzer.perFile)
        .map((analyzer) => {
          const files = scan.files.filter((file) => this.#wantedBy.get(file.path)?.includes(analyzer));
          return files.length ? this.#run(analyzer, files) : undefined;
        }),
    );
    const facts: LayerFacts = {
      diffId: scan.diffId,
      whiteouts: scan.whiteouts,
      opaqueDirs: scan.opaqueDirs,
      warnings: [...scan.warnings, ...this.#walkWarnings],
    };
    const outputs = new Map([...this.#outputs].map(([analyzer, output]) => [analyzerKey(analyzer), output]));
    return { facts, outputs };
  }

  async #run(analyzer: Analyzer, files: CollectedFile[]): Promise<void> {
    const output = this.#outputs.get(analyzer) ?? emptyOutput();
    try {
      absorb(output, await analyzer.analyze(new FileSet(files), this.#context));
    } catch (error) {
      const where = files.length === 1 ? files[0]?.path : `${files.length} files`;
      output.warnings.push(`${analyzer.id} analyzer failed on ${where}: ${describeError(error)}`);
    }
  }
}

function emptyOutput(): AnalyzerOutput {
  return { packages: [], distro: null, ownedFiles: [], files: [], warnings: [] };
}

function absorb(output: AnalyzerOutput, result: AnalyzerResult): void {
  output.packages.push(...result.packages);
  output.distro ??= result.distro ?? null;
  output.ownedFiles.push(...(result.ownedFiles ?? []));
  output.warnings.push(...(result.warnings ?? []));
}
