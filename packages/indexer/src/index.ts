export { createIndexer } from './index-image.js';
export type { Indexer, IndexerOptions, IndexOptions, IndexedImage } from './index-image.js';
export { analyzerKey, createMemoryLayerCache } from './layer-cache.js';
export type { AnalyzerOutput, CachedLayer, LayerCache, LayerFacts } from './layer-cache.js';
export { combineLayer } from './layer-analysis.js';
export type { IndexProgress } from './progress.js';
