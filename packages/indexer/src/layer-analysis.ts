import type { Analyzer, LayerAnalysis } from '@customs/inventory';
import { analyzerKey, type AnalyzerOutput, type LayerFacts } from './layer-cache.js';

/** One layer as assembly sees it: the walk's facts plus every analyzer's output, in analyzer order. */
export function combineLayer(
  facts: LayerFacts,
  analyzers: readonly Analyzer[],
  outputs: ReadonlyMap<string, AnalyzerOutput>,
): LayerAnalysis {
  const present = analyzers.flatMap((analyzer) => {
    const output = outputs.get(analyzerKey(analyzer));
    return output ? [{ id: analyzer.id, output }] : [];
  });
  return {
    packages: present.flatMap(({ id, output }) => output.packages.map((pkg) => ({ ...pkg, analyzer: id }))),
    distro: present.find(({ output }) => output.distro)?.output.distro ?? null,
    ownedFiles: present.flatMap(({ output }) => output.ownedFiles),
    whiteouts: facts.whiteouts,
    opaqueDirs: facts.opaqueDirs,
    files: [...new Set(present.flatMap(({ output }) => output.files))].sort(),
    warnings: [...facts.warnings, ...present.flatMap(({ output }) => output.warnings)],
    unread: present.flatMap(({ output }) => output.unread),
  };
}
