import { isCustomsError } from '@customs/errors';
import { DEFAULT_PLATFORM_SELECTOR } from '../platform.js';
import type { ImageSource, ResolvedImage } from '../image-source.js';
import type { RegistryClientOptions } from './client-environment.js';
import { openRegistryImage } from './registry-source.js';

/**
 * What a tag points to now: the root digest — the (outermost) index's when the tag names one, else
 * the manifest's. It reads the manifest, one platform's manifest and its config; an index without
 * linux/amd64 falls back to every platform. Registry errors (MANIFEST_NOT_FOUND, auth, ...) propagate.
 */
export async function resolveTagDigest(
  reference: string,
  options: RegistryClientOptions = {},
): Promise<string> {
  const source = openRegistryImage(reference, options);
  try {
    const [image] = await resolveAnyPlatform(source);
    const digest = image?.indexDigest ?? image?.manifestDigest;
    if (!digest) throw new Error(`the registry returned no image for ${reference}`);
    return digest;
  } finally {
    await source.close();
  }
}

async function resolveAnyPlatform(source: ImageSource): Promise<ResolvedImage[]> {
  try {
    return await source.resolve(DEFAULT_PLATFORM_SELECTOR);
  } catch (error) {
    if (!isCustomsError(error, 'PLATFORM_NOT_FOUND')) throw error;
    return source.resolve({ kind: 'all' });
  }
}
