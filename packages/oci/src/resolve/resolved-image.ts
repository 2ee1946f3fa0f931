import type { Readable } from 'node:stream';
import { OciError } from '../errors.js';
import type { LayerDescriptor, OpenLayerOptions, ResolvedImage } from '../image-source.js';

export type ImageFields = Omit<ResolvedImage, 'openLayer'>;

/**
 * A ResolvedImage whose openLayer only opens the image's own layers: a descriptor from elsewhere is a
 * caller's mistake, and for archives there would be nothing to map it to.
 */
export function createResolvedImage(
  fields: ImageFields,
  open: (layer: LayerDescriptor, options: OpenLayerOptions) => Promise<Readable>,
): ResolvedImage {
  return {
    ...fields,
    async openLayer(layer: LayerDescriptor, options: OpenLayerOptions = {}): Promise<Readable> {
      const own = fields.layers.find((candidate) => candidate.digest === layer.digest);
      if (own === undefined) {
        throw new OciError('LAYER_NOT_IN_IMAGE', `layer ${layer.digest} is not one of this image's layers`, {
          context: { image: fields.reference, layer: layer.digest },
        });
      }
      options.signal?.throwIfAborted();
      return open(own, options);
    },
  };
}
