import type { Distro, FoundPackage, OwnedFiles, UnreadRecord } from '@customs/inventory';
import type { LayerSecrets } from '@customs/model';

/** What one analyzer made of one layer: cached on its own, so a new version of it invalidates only this. */
export interface AnalyzerOutput {
  packages: FoundPackage[];
  distro: Distro | null;
  ownedFiles: OwnedFiles[];
  /** The files this analyzer read in the layer, packages found or not. */
  files: string[];
  warnings: string[];
  /** Files this analyzer required in the layer but could not read: too big, unreadable, unparseable. */
  unread: UnreadRecord[];
  /** Only in the secret scanner's output (its own cache entry, under its id and version). */
  secrets?: LayerSecrets;
}

/** What the walk over a layer found whatever the analyzers: deletions and oddities. */
export interface LayerFacts {
  diffId: string | null;
  whiteouts: string[];
  opaqueDirs: string[];
  warnings: string[];
}

export interface CachedLayer {
  facts: LayerFacts | null;
  /** Keyed by `analyzerKey(analyzer)`; only the versions asked for. */
  outputs: Map<string, AnalyzerOutput>;
}

/**
 * Where analysed layers are kept between scans, by layer digest. A layer whose facts and every asked
 * analyzer output are cached is never downloaded again.
 */
export interface LayerCache {
  get(layerDigest: string, analyzerKeys: readonly string[]): Promise<CachedLayer>;
  put(layerDigest: string, facts: LayerFacts, outputs: ReadonlyMap<string, AnalyzerOutput>): Promise<void>;
  /**
   * Exclusive right to analyse a layer among every process sharing the cache; resolves when held
   * (waiting while another holder works) and returns its release. Without it, two processes meeting
   * the same new layer would both download it.
   */
  lock?(layerDigest: string, signal?: AbortSignal): Promise<() => Promise<void>>;
}

export function analyzerKey(analyzer: { id: string; version: number }): string {
  return `${analyzer.id}@${analyzer.version}`;
}

/** A process-local cache: repeated scans in one process (tests, `--platform all`) share layers. */
export function createMemoryLayerCache(): LayerCache & { readonly size: number } {
  const facts = new Map<string, LayerFacts>();
  const outputs = new Map<string, Map<string, AnalyzerOutput>>();
  return {
    get size() {
      return facts.size;
    },
    async get(layerDigest, analyzerKeys) {
      const known = outputs.get(layerDigest);
      const wanted = analyzerKeys.flatMap((key) => {
        const output = known?.get(key);
        return output ? [[key, output] as const] : [];
      });
      return { facts: facts.get(layerDigest) ?? null, outputs: new Map(wanted) };
    },
    async put(layerDigest, layerFacts, layerOutputs) {
      facts.set(layerDigest, layerFacts);
      const known = outputs.get(layerDigest) ?? new Map<string, AnalyzerOutput>();
      for (const [key, output] of layerOutputs) known.set(key, output);
      outputs.set(layerDigest, known);
    },
  };
}
