import type { Readable } from 'node:stream';
import { OciError } from '../errors.js';
import type { LayerDescriptor, LocalBlob, OpenLayerOptions, ResolvedImage } from '../image-source.js';

export type ImageFields = Omit<ResolvedImage, 'openLayer' | 'localLayer'>;

/**
 * A ResolvedImage whose openLayer and localLayer only answer for the image's own layers: a descriptor
 * from elsewhere is a caller's mistake, and for archives there would be nothing to map it to.
 * `locate` says where a layer lies in a local file; without it every layer is streamed.
 */
export function createResolvedImage(
  fields: ImageFields,
  open: (layer: LayerDescriptor, options: OpenLayerOptions) => Promise<Readable>,
  locate: (layer: LayerDescriptor) => LocalBlob | null = () => null,
): ResolvedImage {
  const own = (layer: LayerDescriptor): LayerDescriptor => {
    const found = fields.layers.find((candidate) => candidate.digest === layer.digest);
    if (found === undefined) {
      throw new OciError('LAYER_NOT_IN_IMAGE', `layer ${layer.digest} is not one of this image's layers`, {
        context: { image: fields.reference, layer: layer.digest },
      });
    }
    return found;
  };
  return {
    ...fields,
    async openLayer(layer: LayerDescriptor, options: OpenLayerOptions = {}): Promise<Readable> {
      const found = own(layer);
      options.signal?.throwIfAborted();
      return open(found, options);
    },
    localLayer: (layer) => locate(own(layer)),
  };
}
