export { PACKAGE_TYPES, OS_PACKAGE_TYPES } from './package.js';
export type { PackageType, Distro, SourcePackage, FoundPackage, Package, OwnedFiles } from './package.js';
export type { Analyzer, AnalyzeContext, AnalyzerResult } from './analyzer.js';
export { FileSet, resolveLink } from './file-set.js';
export type { AnalyzedPackage, LayerAnalysis } from './layer-analysis.js';
export { toPurl, normalizePypiName } from './purl.js';
export { defaultAnalyzers } from './analyzers/index.js';
export { assembleImage } from './assembly/assemble-image.js';
export type { ImageInventory, ImageLayer, StackedLayer } from './assembly/assemble-image.js';
