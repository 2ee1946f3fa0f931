import type { ImageSource, PlatformSelector, ResolvedImage } from '../image-source.js';
import {
  formatImageReference,
  parseImageReference,
  type ImageReference,
} from '../reference/image-reference.js';
import { parseFetched, resolveImages } from '../resolve/resolve-images.js';
import { createClientEnvironment, type RegistryClientOptions } from './client-environment.js';
import { RegistryHttp } from './registry-http.js';
import { RepositoryStore } from './repository-store.js';

/**
 * An image in a registry, by tag or digest (a digest wins when both are given). Nothing is fetched
 * until `resolve`; `close` releases the connections this source opened.
 */
export function openRegistryImage(
  reference: string | ImageReference,
  options: RegistryClientOptions = {},
): ImageSource {
  const parsed = typeof reference === 'string' ? parseImageReference(reference) : reference;
  const name = typeof reference === 'string' ? reference : formatImageReference(reference);
  const environment = createClientEnvironment(options);
  const http = new RegistryHttp(parsed.registry, environment);
  const store = new RepositoryStore(http, parsed.repository, environment);
  return {
    description: `${formatImageReference(parsed)} (registry ${parsed.registry})`,
    async resolve(selector: PlatformSelector): Promise<ResolvedImage[]> {
      const context = { image: name };
      const root = await store.getManifest(parsed.digest ?? parsed.tag ?? 'latest', context);
      return resolveImages(
        store,
        { digest: root.digest, manifest: parseFetched(root, context) },
        selector,
        name,
      );
    },
    async close(): Promise<void> {
      if (environment.ownsDispatcher) await environment.dispatcher.close();
    },
  };
}
