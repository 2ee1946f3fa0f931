import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Platform } from '../image-source.js';
import { mediaTypes } from '../manifest/media-types.js';
import { blobsOf, type FakeContent } from './fake-images.js';

export interface LayoutEntry {
  content: FakeContent;
  /** Written as the `org.opencontainers.image.ref.name` annotation. */
  tag?: string;
  annotations?: Record<string, string>;
  /** Written into the index.json descriptor (as ko and crane do for multi-platform layouts). */
  platform?: Platform;
}

/** A file of an image layout or archive: its path inside, and its bytes. */
export interface LayoutFile {
  path: string;
  bytes: Buffer;
}

export function blobFile(digest: string, bytes: Buffer): LayoutFile {
  return { path: `blobs/${digest.replace(':', '/')}`, bytes };
}

/** The files of an OCI image layout holding the entries: oci-layout, index.json, one file per blob. */
export function ociLayoutFiles(entries: readonly LayoutEntry[]): LayoutFile[] {
  const blobs = new Map(
    entries.flatMap((entry) => blobsOf(entry.content)).map((blob) => [blob.digest, blob]),
  );
  const manifests = entries.map((entry) => {
    const annotations = {
      ...entry.annotations,
      ...(entry.tag && { 'org.opencontainers.image.ref.name': entry.tag }),
    };
    const { mediaType, digest, bytes } = entry.content.manifest;
    return {
      mediaType,
      digest,
      size: bytes.length,
      ...(entry.platform && { platform: entry.platform }),
      ...(Object.keys(annotations).length > 0 && { annotations }),
    };
  });
  return [
    { path: 'oci-layout', bytes: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    {
      path: 'index.json',
      bytes: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests })),
    },
    ...[...blobs.values()].map((blob) => blobFile(blob.digest, blob.bytes)),
  ];
}

/** Writes fake images as an OCI image layout directory (what `umoci` or `skopeo copy … oci:` produce). */
export async function writeOciLayout(directory: string, entries: readonly LayoutEntry[]): Promise<void> {
  for (const file of ociLayoutFiles(entries)) {
    await mkdir(dirname(join(directory, file.path)), { recursive: true });
    await writeFile(join(directory, file.path), file.bytes);
  }
}
