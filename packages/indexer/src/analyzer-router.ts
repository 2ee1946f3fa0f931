import { describeError, isCustomsError } from '@customs/errors';
import { FileSet, type AnalyzeContext, type Analyzer, type AnalyzerResult } from '@customs/inventory';
import { DEFAULT_LIMITS, type CollectedFile, type EntryInfo, type LayerScan } from '@customs/layers';
import type { LayerSecretScan } from '@customs/secrets';
import { analyzerKey, type AnalyzerOutput, type LayerFacts } from './layer-cache.js';

/** What a language analyzer's `required` is asked when all we have is a path from an OS file list. */
const OWNED_PATH_PROBE: EntryInfo = { size: 1024 * 1024, mode: 0o755, kind: 'file' };

/** The secret scan of the layer being walked, and the key its output is cached under. */
export interface SecretScanRun {
  key: string;
  scan: LayerSecretScan;
}

/**
 * Sits between the layer walker and the analyzers that still have to see one layer: tells the walker
 * which entries to keep, runs per-file analyzers as soon as their file is read (then lets it go), and
 * runs the others on what was kept once the walk is over. The secret scan, when there is one, reads
 * every regular file as it streams past and keeps none.
 */
export class AnalyzerRouter {
  readonly #running: readonly Analyzer[];
  readonly #wantedBy = new Map<string, Analyzer[]>();
  readonly #outputs = new Map<Analyzer, AnalyzerOutput>();
  readonly #context: AnalyzeContext;
  readonly #secrets: SecretScanRun | null;
  readonly #forSecrets = new Set<string>();

  /** `running` are analysed now; `all` (a superset) decides which paths count as language files. */
  constructor(
    running: readonly Analyzer[],
    all: readonly Analyzer[] = running,
    secrets: SecretScanRun | null = null,
  ) {
    this.#running = running;
    this.#secrets = secrets;
    const language = all.filter((analyzer) => analyzer.kind === 'language');
    this.#context = { isLanguagePath: (path) => language.some((a) => a.required(path, OWNED_PATH_PROBE)) };
    for (const analyzer of running) this.#outputs.set(analyzer, emptyOutput());
  }

  /** The largest file any analyzer reads: the walker's per-file cap. */
  static maxFileBytes(analyzers: readonly Analyzer[]): number {
    return Math.max(DEFAULT_LIMITS.maxFileBytes, ...analyzers.map((a) => a.maxFileSize ?? 0));
  }

  wants = (path: string, info: EntryInfo): boolean => {
    const forSecrets = this.#secrets?.scan.wants(path, info) ?? false;
    if (forSecrets) this.#forSecrets.add(path);
    return this.#wantedByAnalyzers(path, info) || forSecrets;
  };

  #wantedByAnalyzers(path: string, info: EntryInfo): boolean {
    const takers = this.#running.filter((analyzer) => analyzer.required(path, info));
    if (takers.length === 0) return false;
    const within = takers.filter((analyzer) => info.size <= maxFileSize(analyzer));
    for (const analyzer of takers.filter((a) => !within.includes(a))) {
      // Still the analyzer's file: it hides lower layers' copies, and what it would have said is missing.
      const output = this.#outputs.get(analyzer);
      output?.files.push(path);
      output?.unread.push({
        path,
        code: 'FILE_TOO_LARGE',
        reason: `${path}: skipped, ${info.size} bytes is more than the ${maxFileSize(analyzer)} bytes the ${analyzer.id} analyzer reads`,
      });
    }
    if (within.length === 0) return false;
    this.#wantedBy.set(path, within);
    for (const analyzer of within) this.#outputs.get(analyzer)?.files.push(path);
    return true;
  }

  onFile = async (file: CollectedFile): Promise<'keep' | 'release'> => {
    if (this.#forSecrets.delete(file.path)) this.#secrets?.scan.scan(file.path, file.data);
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
    for (const unread of scan.unread) {
      for (const analyzer of this.#wantedBy.get(unread.path) ?? [])
        this.#outputs.get(analyzer)?.unread.push(unread);
    }
    const facts: LayerFacts = {
      diffId: scan.diffId,
      whiteouts: scan.whiteouts,
      opaqueDirs: scan.opaqueDirs,
      warnings: scan.warnings,
    };
    const outputs = new Map([...this.#outputs].map(([analyzer, output]) => [analyzerKey(analyzer), output]));
    if (this.#secrets)
      outputs.set(this.#secrets.key, { ...emptyOutput(), secrets: this.#secrets.scan.finish() });
    return { facts, outputs };
  }

  async #run(analyzer: Analyzer, files: CollectedFile[]): Promise<void> {
    const output = this.#outputs.get(analyzer) ?? emptyOutput();
    try {
      absorb(output, await analyzer.analyze(new FileSet(files), this.#context));
    } catch (error) {
      const path = files.length === 1 ? (files[0]?.path ?? null) : null;
      const reason = `${analyzer.id} analyzer failed on ${path ?? `${files.length} files`}: ${describeError(error)}`;
      output.warnings.push(reason);
      output.unread.push({ path, code: isCustomsError(error) ? error.code : 'ANALYZER_FAILED', reason });
    }
  }
}

function emptyOutput(): AnalyzerOutput {
  return { packages: [], distro: null, ownedFiles: [], files: [], warnings: [], unread: [] };
}

function maxFileSize(analyzer: Analyzer): number {
  return analyzer.maxFileSize ?? DEFAULT_LIMITS.maxFileBytes;
}

function absorb(output: AnalyzerOutput, result: AnalyzerResult): void {
  output.packages.push(...result.packages);
  output.distro ??= result.distro ?? null;
  output.ownedFiles.push(...(result.ownedFiles ?? []));
  output.warnings.push(...(result.warnings ?? []));
  output.unread.push(...(result.unread ?? []));
}
