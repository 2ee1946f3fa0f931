import { CustomsError, InvalidOptionError, isCustomsError } from '@customs/errors';
import { redactCreatedBy, redactImageConfig } from '@customs/imageconfig';
import {
  assembleImage,
  defaultAnalyzers,
  type Analyzer,
  type ImageInventory,
  type LayerAnalysis,
} from '@customs/inventory';
import {
  scanDirectory,
  scanLayer,
  scanTarInPlace,
  type LayerLimits,
  type LayerScan,
  type LayerScanOptions,
} from '@customs/layers';
import type { ImageSecrets, LayerSecrets } from '@customs/model';
import type { ImageConfig, LayerDescriptor, Platform, ResolvedImage } from '@customs/oci';
import { stackSecrets, type SecretScanner } from '@customs/secrets';
import { AnalyzerRouter, type SecretScanRun } from './analyzer-router.js';
import { combineLayer } from './layer-analysis.js';
import {
  analyzerKey,
  type AnalyzerOutput,
  type CachedLayer,
  type LayerCache,
  type LayerFacts,
} from './layer-cache.js';
import type { IndexProgress } from './progress.js';

export interface IndexerOptions {
  analyzers?: readonly Analyzer[];
  cache?: LayerCache;
  limits?: Partial<LayerLimits>;
  /** Layers downloaded and walked at the same time. */
  layerConcurrency?: number;
  /** Also looks for credentials in every regular file, in the same pass; cached per layer like analyzers. */
  secrets?: SecretScanner;
}

export interface IndexOptions {
  signal?: AbortSignal;
  onProgress?(event: IndexProgress): void;
}

/** An image's inventory together with what identifies the image. */
export interface IndexedImage extends ImageInventory {
  reference: string;
  manifestDigest: string | null;
  platform: Platform | null;
  /**
   * The image's config blob (the parts Customs reads), for the config checks; null for a directory.
   * Secret values in ENV and build arguments are already replaced by markers, as in `layers`.
   */
  imageConfig: ImageConfig | null;
  /** Present when the indexer had a secret scanner (null: a stored image indexed without one). */
  secrets?: ImageSecrets | null;
}

export interface Indexer {
  readonly analyzers: readonly Analyzer[];
  index(image: ResolvedImage, options?: IndexOptions): Promise<IndexedImage>;
}

export function createIndexer(options: IndexerOptions = {}): Indexer {
  const analyzers = options.analyzers ?? defaultAnalyzers;
  const secretScanner = options.secrets ?? null;
  const secretKey = secretScanner ? analyzerKey(secretScanner) : null;
  const keys = [...analyzers.map(analyzerKey), ...(secretKey ? [secretKey] : [])];
  const concurrency = options.layerConcurrency ?? 3;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidOptionError('layerConcurrency', `${concurrency} is not a positive integer`);
  }
  const limits = { ...options.limits, maxFileBytes: AnalyzerRouter.maxFileBytes(analyzers) };
  const cache = options.cache;

  /** Downloads and walks a layer for the analyzers that have no cached output for it. */
  async function analyzeLayer(
    image: ResolvedImage,
    layer: LayerDescriptor,
    missing: Missing,
    run: IndexOptions,
  ): Promise<{ facts: LayerFacts; outputs: Map<string, AnalyzerOutput> }> {
    const router = new AnalyzerRouter(missing.analyzers, analyzers, missing.secrets ? secretRun() : null);
    const options = {
      mediaType: layer.mediaType,
      diffId: layer.diffId,
      wants: router.wants,
      onFile: router.onFile,
      limits,
      ...(run.signal && { signal: run.signal }),
    };
    const scan =
      (!missing.secrets && (await scanInPlace(image, layer, options, run))) ||
      (await scanStreamed(image, layer, options, run));
    return router.finish(scan);
  }

  const secretRun = (): SecretScanRun | null =>
    secretScanner && secretKey ? { key: secretKey, scan: secretScanner.startLayer() } : null;

  const missingFrom = (cached: CachedLayer): Missing => ({
    analyzers: cached.facts
      ? analyzers.filter((analyzer) => !cached.outputs.has(analyzerKey(analyzer)))
      : [...analyzers],
    secrets: secretKey !== null && !(cached.facts && cached.outputs.has(secretKey)),
  });
  const nothingMissing = (missing: Missing): boolean => missing.analyzers.length === 0 && !missing.secrets;

  /** The cached layer, completed (under the cache's lock, when it has one) with whatever was missing. */
  async function completeLayer(image: ResolvedImage, layer: LayerDescriptor, run: IndexOptions) {
    let cached = cache ? await cache.get(layer.digest, keys) : { facts: null, outputs: new Map() };
    if (nothingMissing(missingFrom(cached))) return { cached, hit: true };
    const release = await cache?.lock?.(layer.digest, run.signal);
    try {
      if (release && cache) cached = await cache.get(layer.digest, keys);
      const missing = missingFrom(cached);
      if (nothingMissing(missing)) return { cached, hit: true };
      const fresh = await analyzeLayer(image, layer, missing, run);
      await cache?.put(layer.digest, fresh.facts, fresh.outputs);
      return {
        cached: { facts: fresh.facts, outputs: new Map([...cached.outputs, ...fresh.outputs]) },
        hit: false,
      };
    } finally {
      await release?.();
    }
  }

  async function indexLayer(image: ResolvedImage, index: number, run: IndexOptions): Promise<IndexedLayer> {
    const layer = image.layers[index] as LayerDescriptor;
    const total = image.layers.length;
    run.onProgress?.({ kind: 'layer-start', layer: layer.digest, index, total, size: layer.size });
    const { cached, hit } = await completeLayer(image, layer, run).catch((error) =>
      rethrowIn(error, image, layer),
    );
    const analysis = combineLayer(cached.facts as LayerFacts, analyzers, cached.outputs);
    run.onProgress?.({
      kind: 'layer-done',
      layer: layer.digest,
      cached: hit,
      packages: analysis.packages.length,
    });
    return { analysis, secrets: secretsOf(cached.outputs) };
  }

  const secretsOf = (outputs: ReadonlyMap<string, AnalyzerOutput>): LayerSecrets | null =>
    (secretKey && outputs.get(secretKey)?.secrets) || null;

  /** The image's secrets across its layers, when this indexer looks for them. */
  function imageSecrets(layers: readonly SecretsOfLayer[]) {
    if (!secretScanner) return {};
    const stacked = layers.map(({ digest, facts, secrets }) => ({
      digest,
      whiteouts: facts.whiteouts,
      opaqueDirs: facts.opaqueDirs,
      secrets: secrets ?? {
        findings: [],
        scannedFiles: 0,
        skipped: { binary: 0, tooLarge: 0, skippedPath: 0 },
        pathHashes: [],
      },
    }));
    return { secrets: stackSecrets(stacked) };
  }

  async function indexRootfs(image: ResolvedImage, root: string, run: IndexOptions): Promise<IndexedImage> {
    const router = new AnalyzerRouter(analyzers, analyzers, secretRun());
    const scan = await scanDirectory(root, {
      wants: router.wants,
      onFile: router.onFile,
      limits,
      ...(run.signal && { signal: run.signal }),
    });
    const { facts, outputs } = await router.finish(scan);
    const analysis = combineLayer(facts, analyzers, outputs);
    const digest = `dir:${root}`;
    const inventory = assembleImage([{ digest, createdBy: null, analysis }]);
    const secrets = imageSecrets([{ digest, facts, secrets: secretsOf(outputs) }]);
    return {
      ...inventory,
      reference: image.reference,
      manifestDigest: null,
      platform: null,
      imageConfig: null,
      ...secrets,
    };
  }

  return {
    analyzers,
    async index(image, run = {}) {
      if (image.rootfs !== null) return indexRootfs(image, image.rootfs, run);
      // One failed layer fails the image: stop the other downloads instead of finishing them for nothing.
      const stop = new AbortController();
      const signal = run.signal ? AbortSignal.any([run.signal, stop.signal]) : stop.signal;
      const analyses = await mapConcurrently(image.layers.length, concurrency, (index) =>
        indexLayer(image, index, { ...run, signal }),
      ).catch((error: unknown) => {
        stop.abort(error);
        throw error;
      });
      const inventory = assembleImage(
        image.layers.map((layer, index) => ({
          digest: layer.digest,
          createdBy: layer.createdBy === null ? null : redactCreatedBy(layer.createdBy),
          analysis: (analyses[index] as IndexedLayer).analysis,
        })),
      );
      const secrets = imageSecrets(
        image.layers.map((layer, index) => {
          const { analysis, secrets: found } = analyses[index] as IndexedLayer;
          return { digest: layer.digest, facts: analysis, secrets: found };
        }),
      );
      return {
        ...inventory,
        reference: image.reference,
        manifestDigest: image.manifestDigest,
        platform: image.platform,
        imageConfig: image.config && redactImageConfig(image.config),
        ...secrets,
      };
    },
  };
}

/** What a layer's walk still has to produce: the analyzers without cached output, and the secret scan. */
interface Missing {
  analyzers: Analyzer[];
  secrets: boolean;
}

/** A layer's deletions (its walk's facts) and its secrets, as stacking them needs. */
interface SecretsOfLayer {
  digest: string;
  facts: Pick<LayerFacts, 'whiteouts' | 'opaqueDirs'>;
  secrets: LayerSecrets | null;
}

interface IndexedLayer {
  analysis: LayerAnalysis;
  secrets: LayerSecrets | null;
}

function rethrowIn(error: unknown, image: ResolvedImage, layer: LayerDescriptor): never {
  const where = { image: image.reference, layer: layer.digest };
  if (isCustomsError(error)) throw error.within(where);
  throw new CustomsError('LAYER_SCAN_FAILED', error instanceof Error ? error.message : String(error), {
    cause: error,
    context: where,
  });
}

/** Runs `task(0..count-1)` with at most `limit` in flight; results in index order; the first failure wins. */
async function mapConcurrently<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return results;
}

/**
 * A layer kept uncompressed in a local file, walked in place: only its headers and the files the
 * analyzers want are read (docs/decisions.md says why its bytes are not hashed). Not for the secret
 * scan, which reads every file: that streams the whole layer, verified, as before. Null when the layer
 * has to be streamed.
 */
async function scanInPlace(
  image: ResolvedImage,
  layer: LayerDescriptor,
  options: LayerScanOptions,
  run: IndexOptions,
): Promise<LayerScan | null> {
  const local = image.localLayer(layer);
  const scan = local && (await scanTarInPlace(local, options));
  if (scan)
    run.onProgress?.({ kind: 'layer-bytes', layer: layer.digest, received: layer.size, size: layer.size });
  return scan;
}

/** The layer's blob streamed from where it is kept, verified against its digest while it streams. */
async function scanStreamed(
  image: ResolvedImage,
  layer: LayerDescriptor,
  options: LayerScanOptions,
  run: IndexOptions,
): Promise<LayerScan> {
  const stream = await image.openLayer(layer, {
    ...(run.signal && { signal: run.signal }),
    onBytes: (received) =>
      run.onProgress?.({ kind: 'layer-bytes', layer: layer.digest, received, size: layer.size }),
  });
  return scanLayer(stream, options);
}
