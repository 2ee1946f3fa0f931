import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { InvalidTargetError, OciError } from '../errors.js';
import type { ImageSource, PlatformSelector, ResolvedImage } from '../image-source.js';
import { createResolvedImage } from '../resolve/resolved-image.js';
import { archiveLocator, directoryLocator } from './blob-locator.js';
import { resolveDockerArchive } from './docker-archive.js';
import { isOciLayout, resolveLayout } from './oci-layout.js';
import { TarIndex } from './tar-index.js';

export interface LocalImageOptions {
  /** Which image of a layout or archive: a ref name / tag (`bookworm`) or an image name (`debian:bookworm`). */
  tag?: string | null;
}

/** `oci`: an OCI layout packed in a tar; `docker`: a `docker save` manifest.json; `auto`: whichever it is (OCI first). */
export type ArchiveFormat = 'auto' | 'oci' | 'docker';

export interface ImageArchiveOptions extends LocalImageOptions {
  format?: ArchiveFormat;
}

function named(path: string, tag: string | null): string {
  return tag === null ? path : `${path}:${tag}`;
}

/** An OCI image layout directory (`oci-layout`, `index.json`, `blobs/`). Blobs are read in place. */
export function openOciLayout(directory: string, options: LocalImageOptions = {}): ImageSource {
  const tag = options.tag ?? null;
  const reference = named(directory, tag);
  return {
    description: `OCI layout ${reference}`,
    resolve: (selector: PlatformSelector) =>
      resolveLayout(directoryLocator(directory), tag, selector, reference),
    close: async () => {},
  };
}

/**
 * An image archive: an OCI layout in a tar (`skopeo copy … oci-archive:`) or a `docker save` tar.
 * The tar is indexed once, by reading its headers; every blob is then read by byte range, in place.
 */
export function openImageArchive(file: string, options: ImageArchiveOptions = {}): ImageSource {
  const tag = options.tag ?? null;
  const format = options.format ?? 'auto';
  const reference = named(file, tag);
  let index: Promise<TarIndex> | null = null;
  return {
    description: `image archive ${reference}`,
    async resolve(selector: PlatformSelector): Promise<ResolvedImage[]> {
      index ??= TarIndex.open(file);
      const locator = archiveLocator(await index);
      const oci = await isOciLayout(locator);
      if (format === 'oci' || (format === 'auto' && oci)) {
        if (!oci)
          throw new OciError('ARCHIVE_INVALID', `${file} holds no oci-layout file: it is not an OCI archive`);
        return resolveLayout(locator, tag, selector, reference);
      }
      if (await locator.locate('manifest.json')) return resolveDockerArchive(locator, tag, reference);
      const kind =
        format === 'docker'
          ? 'a docker save archive (no manifest.json)'
          : 'an OCI archive (no oci-layout) or a docker save archive (no manifest.json)';
      throw new OciError('ARCHIVE_INVALID', `${file} is not ${kind}`, {
        hint: 'give a tar written by `docker save` or `skopeo copy`, an OCI layout directory, or a registry reference',
      });
    },
    close: async () => {},
  };
}

/** A directory holding an unpacked root filesystem: one image with no layers, `rootfs` set. */
export function openRootfsDirectory(directory: string): ImageSource {
  const rootfs = resolvePath(directory);
  return {
    description: `root filesystem ${rootfs}`,
    async resolve(): Promise<ResolvedImage[]> {
      const info = await stat(rootfs).catch(() => null);
      if (!info?.isDirectory()) {
        throw new InvalidTargetError(
          directory,
          'it is not a directory',
          'give the directory that holds the unpacked filesystem',
        );
      }
      const fields = {
        reference: directory,
        manifestDigest: null,
        indexDigest: null,
        platform: null,
        config: null,
        configDigest: null,
        layers: [],
        rootfs,
      };
      return [
        createResolvedImage(fields, () => Promise.reject(new Error('a root filesystem has no layers'))),
      ];
    },
    close: async () => {},
  };
}
