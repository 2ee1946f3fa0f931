// Images derived in a test from an image of the e2e OCI layout, without touching it (and without a
// rebuild of the cached images): a new layout whose unchanged blobs are symlinks to the original
// ones, plus new layers built here. Every derived image is real OCI, pushed with skopeo like any other.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import tar from 'tar-stream';

const LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
/** tar-stream ends an archive with two zero blocks. */
const END_OF_ARCHIVE_BYTES = 1024;

export interface LayerFile {
  path: string;
  content: string | Buffer;
}

/**
 * A new layer on top of the base image: `files`, and, when `thenBlob` names a gzip layer of the base
 * layout, that layer's whole content after them (a second gzip member: the files' tar entries without
 * an end-of-archive, then the other layer's tar). It is a big new layer, real content, made in well
 * under a second, without compressing anything big.
 */
export interface NewLayer {
  files: LayerFile[];
  thenBlob?: string;
  createdBy: string;
}

export interface Variant {
  tag: string;
  layers: NewLayer[];
  /** Only the new layers (and the base's configuration), not the base's layers under them. */
  withoutBaseLayers?: boolean;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

interface ImageConfig {
  rootfs: { type: string; diff_ids: string[] };
  history?: Array<{ created?: string; created_by?: string; empty_layer?: boolean }>;
  [key: string]: unknown;
}

/**
 * Writes an OCI layout at `dir` holding `variants`, each the image `baseTag` of `baseLayout` with its
 * new layers on top. Returns each variant's manifest digest by tag.
 */
export async function writeVariantLayout(
  baseLayout: string,
  baseTag: string,
  dir: string,
  variants: readonly Variant[],
): Promise<Map<string, string>> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const base = await readImage(baseLayout, baseTag);
  for (const layer of base.manifest.layers) await linkBlob(baseLayout, dir, layer.digest);
  const digests = new Map<string, string>();
  const entries: Descriptor[] = [];
  // Variants sharing a layer (the same files) share its blob; it is built once.
  const layers = new Map<string, Promise<{ descriptor: Descriptor; diffId: string }>>();
  const layerOf = (layer: NewLayer) => {
    const key = JSON.stringify(layer);
    const known = layers.get(key) ?? writeLayer(baseLayout, dir, layer);
    layers.set(key, known);
    return known;
  };
  for (const variant of variants) {
    const manifest = structuredClone(base.manifest);
    const config = structuredClone(base.config);
    if (variant.withoutBaseLayers) {
      manifest.layers = [];
      config.rootfs.diff_ids = [];
      config.history = [];
    }
    for (const layer of variant.layers) {
      const built = await layerOf(layer);
      manifest.layers.push(built.descriptor);
      config.rootfs.diff_ids.push(built.diffId);
      config.history = [...(config.history ?? []), { created_by: layer.createdBy }];
    }
    manifest.config = await writeJsonBlob(dir, CONFIG, config);
    const written = await writeJsonBlob(dir, MANIFEST, { ...manifest, mediaType: MANIFEST });
    entries.push({ ...written, annotations: { 'org.opencontainers.image.ref.name': variant.tag } });
    digests.set(variant.tag, written.digest);
  }
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: entries,
    }),
  );
  return digests;
}

/** The manifest of `tag` in an OCI layout, and its layer descriptors. */
export async function readImage(
  layout: string,
  tag: string,
): Promise<{ digest: string; manifest: Manifest; config: ImageConfig }> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const entry = index.manifests.find(
    (candidate) => candidate.annotations?.['org.opencontainers.image.ref.name'] === tag,
  );
  if (!entry) throw new Error(`${layout} has no tag ${tag}`);
  const manifest = JSON.parse(await readFile(blobPath(layout, entry.digest), 'utf8')) as Manifest;
  const config = JSON.parse(await readFile(blobPath(layout, manifest.config.digest), 'utf8')) as ImageConfig;
  return { digest: entry.digest, manifest, config };
}

function blobPath(layout: string, digest: string): string {
  return join(layout, 'blobs', ...digest.split(':'));
}

async function linkBlob(from: string, to: string, digest: string): Promise<void> {
  await symlink(blobPath(from, digest), blobPath(to, digest)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

async function writeJsonBlob(dir: string, mediaType: string, value: unknown): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await writeFile(blobPath(dir, digest), bytes);
  return { mediaType, digest, size: bytes.length };
}

async function writeLayer(
  baseLayout: string,
  dir: string,
  layer: NewLayer,
): Promise<{ descriptor: Descriptor; diffId: string }> {
  const entries = await tarOf(layer.files);
  if (layer.thenBlob === undefined) {
    const gz = gzipSync(entries);
    const digest = `sha256:${sha256(gz)}`;
    await writeFile(blobPath(dir, digest), gz);
    return {
      descriptor: { mediaType: LAYER_GZIP, digest, size: gz.length },
      diffId: `sha256:${sha256(entries)}`,
    };
  }
  // The files' entries without the end-of-archive blocks, so the next member's tar continues the archive.
  const head = entries.subarray(0, entries.length - END_OF_ARCHIVE_BYTES);
  return writeConcatenated(dir, head, blobPath(baseLayout, layer.thenBlob));
}

/** gzip(head) followed by the gzip blob at `tailFile`: two members, one tar. */
async function writeConcatenated(
  dir: string,
  head: Buffer,
  tailFile: string,
): Promise<{ descriptor: Descriptor; diffId: string }> {
  const diffHash = createHash('sha256').update(head);
  await pipeline(createReadStream(tailFile), createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) diffHash.update(chunk);
  });
  const headGz = gzipSync(head);
  const blobHash = createHash('sha256').update(headGz);
  let size = headGz.length;
  const scratch = join(dir, 'layer.partial');
  const out = createWriteStream(scratch);
  out.write(headGz);
  await pipeline(
    createReadStream(tailFile),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        blobHash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    out,
  );
  const digest = `sha256:${blobHash.digest('hex')}`;
  await rename(scratch, blobPath(dir, digest));
  return { descriptor: { mediaType: LAYER_GZIP, digest, size }, diffId: `sha256:${diffHash.digest('hex')}` };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function tarOf(files: readonly LayerFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  })();
  for (const file of files) {
    const content = Buffer.from(file.content);
    pack.entry({ name: file.path, size: content.length, mode: 0o644, mtime: new Date(0) }, content);
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}
