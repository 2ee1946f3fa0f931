import { analyzerKey, type Indexer, type IndexProgress } from '@customs/indexer';
import { formatPlatform, type ResolvedImage } from '@customs/oci';
import type { ArtifactStore, ImageLocation, ScanImage, ScanStats } from '@customs/store';
import type { ScanLogger } from './logger.js';
import type { SbomRenderer } from './sboms.js';

export interface IndexImageDeps {
  indexer: Indexer;
  artifacts: Pick<ArtifactStore, 'put'>;
  sboms: readonly SbomRenderer[];
  logger: ScanLogger;
  now(): number;
}

/**
 * Indexes one image through the layer cache and stores its SBOMs; returns the inventory (stored by the
 * caller with the scan's `done`, after the SBOMs, so a visible verdict always has them) and how many
 * layers came from the cache.
 */
export async function indexImage(
  deps: IndexImageDeps,
  image: ResolvedImage,
  where: ImageLocation,
  signal: AbortSignal,
): Promise<{ result: ScanImage; stats: ScanStats }> {
  const digest = image.manifestDigest;
  // Registry images always have one; only a root filesystem directory has none.
  if (digest === null) throw new Error(`${image.reference} has no manifest digest`);
  const started = deps.now();
  const log = deps.logger.child({
    manifest: image.manifestDigest,
    ...(image.platform && { platform: formatPlatform(image.platform) }),
  });
  const stats: ScanStats = { layersCached: 0, layersFetched: 0 };
  const layerStarts = new Map<string, number>();
  const downloading = new Set<string>();
  const onProgress = (event: IndexProgress): void => {
    if (event.kind === 'layer-start') layerStarts.set(event.layer, deps.now());
    // Said once, at the first bytes: a big layer otherwise shows nothing until it is done.
    if (event.kind === 'layer-bytes' && !downloading.has(event.layer)) {
      downloading.add(event.layer);
      log.info({ layer: event.layer, size: event.size }, 'layer downloading');
    }
    if (event.kind !== 'layer-done') return;
    if (event.cached) stats.layersCached += 1;
    else stats.layersFetched += 1;
    const durationMs = deps.now() - (layerStarts.get(event.layer) ?? started);
    log.info(
      { layer: event.layer, cached: event.cached, packages: event.packages, durationMs },
      'layer done',
    );
  };
  const indexed = await deps.indexer.index(image, { signal, onProgress });
  const target = `${where.registry}/${where.repository}@${digest}`;
  for (const sbom of deps.sboms) await deps.artifacts.put(digest, sbom.kind, sbom.render(indexed, target));
  log.info(
    {
      packages: indexed.packages.length,
      layers: indexed.layers.length,
      ...stats,
      warnings: indexed.warnings.length,
      durationMs: deps.now() - started,
    },
    'image indexed',
  );
  const extra = {
    configDigest: image.configDigest,
    analyzers: deps.indexer.analyzers.map(analyzerKey),
    // Policy rules may require labels; an image whose config has none has none.
    labels: image.config?.config?.Labels ?? {},
  };
  return { result: { image: indexed, where, extra }, stats };
}
