import type { LayerAnalysis } from '../layer-analysis.js';

/** A layer of an image as the manifest lists it. */
export interface ImageLayer {
  digest: string;
  createdBy: string | null;
}

/** A layer with what its analyzers found, in the order the image stacks them. */
export interface StackedLayer extends ImageLayer {
  analysis: LayerAnalysis;
}
