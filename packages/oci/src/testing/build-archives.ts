import { createHash } from 'node:crypto';
import { pack, type Header } from 'tar-stream';
import type { FakeImage } from './fake-images.js';
import { blobFile, ociLayoutFiles, type LayoutEntry, type LayoutFile } from './write-oci-layout.js';

/** A tar member: a file with bytes, or a link to another member. */
export type TarEntry =
  | { name: string; bytes: Uint8Array | string }
  | { name: string; symlink: string }
  | { name: string; hardlink: string }
  | { name: string; directory: true };

function header(entry: TarEntry): Partial<Header> & { name: string } {
  if ('symlink' in entry) return { name: entry.name, type: 'symlink', linkname: entry.symlink };
  if ('hardlink' in entry) return { name: entry.name, type: 'link', linkname: entry.hardlink };
  if ('directory' in entry) return { name: entry.name, type: 'directory' };
  return { name: entry.name, type: 'file' };
}

/** A tar archive of the entries, written with tar-stream (long names become pax headers). */
export async function buildTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => {
    if (Buffer.isBuffer(chunk)) chunks.push(chunk);
  });
  const finished = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const entry of entries) {
    if ('bytes' in entry) archive.entry(header(entry), Buffer.from(entry.bytes));
    else archive.entry(header(entry));
  }
  archive.finalize();
  await finished;
  return Buffer.concat(chunks);
}

function filesToEntries(files: readonly LayoutFile[]): TarEntry[] {
  return files.map((file) => ({ name: file.path, bytes: file.bytes }));
}

/** An OCI layout packed in a tar, as `skopeo copy … oci-archive:` writes it. */
export function buildOciArchive(entries: readonly LayoutEntry[]): Promise<Buffer> {
  return buildTar(filesToEntries(ociLayoutFiles(entries)));
}

export interface SavedImage {
  image: FakeImage;
  repoTags: string[];
}

function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/**
 * A `docker save` archive. `legacy`: manifest.json, `<config hex>.json`, `<id>/layer.tar` (a layer
 * listed twice is stored once and linked, as docker does). `oci`: Docker ≥ 25, which also writes an
 * OCI layout (oci-layout, index.json, blobs/sha256/…) and points manifest.json at the blobs.
 * The fake layers stand for uncompressed tars: their digests equal their diff IDs.
 */
export function buildDockerArchive(
  images: readonly SavedImage[],
  style: 'legacy' | 'oci' = 'legacy',
): Promise<Buffer> {
  const entries = new Map<string, TarEntry>();
  const stored = new Map<string, string>();
  const manifest = images.map(({ image, repoTags }) => {
    if (style === 'oci') {
      for (const file of ociLayoutFiles([{ content: image, ...(repoTags[0] && { tag: repoTags[0] }) }])) {
        entries.set(file.path, { name: file.path, bytes: file.bytes });
      }
      return {
        Config: blobFile(image.config.digest, image.config.bytes).path,
        RepoTags: repoTags,
        Layers: image.layers.map((layer) => blobFile(layer.digest, layer.bytes).path),
      };
    }
    const config = `${hexOf(image.config.digest)}.json`;
    entries.set(config, { name: config, bytes: image.config.bytes });
    const layers = image.layers.map((layer, index) => {
      const id = createHash('sha256').update(`${image.config.digest}/${index}`).digest('hex');
      const path = `${id}/layer.tar`;
      const earlier = stored.get(layer.digest);
      entries.set(
        path,
        earlier ? { name: path, symlink: `../${earlier}` } : { name: path, bytes: layer.bytes },
      );
      if (!earlier) stored.set(layer.digest, path);
      return path;
    });
    return { Config: config, RepoTags: repoTags, Layers: layers };
  });
  entries.set('manifest.json', { name: 'manifest.json', bytes: JSON.stringify(manifest) });
  return buildTar([...entries.values()]);
}
