import { digestOf } from '../digest.js';
import type { ImageConfig, Platform } from '../image-source.js';
import { mediaTypes } from '../manifest/media-types.js';
import { DEFAULT_PLATFORM } from '../platform.js';

/** Bytes stored under their digest. */
export interface FakeBlob {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export interface FakeImage {
  kind: 'image';
  platform: Platform;
  manifest: FakeBlob;
  config: FakeBlob;
  layers: FakeBlob[];
}

export interface FakeIndex {
  kind: 'index';
  manifest: FakeBlob;
  children: FakeContent[];
}

export type FakeContent = FakeImage | FakeIndex;

export interface FakeImageOptions {
  /** Layer blobs, bottom first (any bytes: the fake never unpacks them). */
  layers: ReadonlyArray<Uint8Array | string>;
  /** Written into the config. Default linux/amd64. */
  platform?: Platform;
  /** OCI or Docker schema 2 media types. Default oci. */
  format?: 'oci' | 'docker';
  layerMediaType?: string;
  /** Default: one `created_by: "layer <n>"` entry per layer. */
  history?: ImageConfig['history'];
  /** Default: the sha256 of each layer's bytes (as if the layers were uncompressed tars). */
  diffIds?: string[];
  /** Runtime config (Env, Cmd, Labels…). */
  runtime?: ImageConfig['config'];
}

export interface FakeIndexEntry {
  content: FakeContent;
  /** Default: the child image's platform from its config; none for a nested index. */
  platform?: Platform | null;
  annotations?: Record<string, string>;
}

function blob(mediaType: string, bytes: Buffer): FakeBlob {
  return { digest: digestOf(bytes), mediaType, bytes };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function descriptor(of: FakeBlob): { mediaType: string; digest: string; size: number } {
  return { mediaType: of.mediaType, digest: of.digest, size: of.bytes.length };
}

/** A complete image (manifest, config, layers) built in memory, content-addressed like a registry's. */
export function fakeImage(options: FakeImageOptions): FakeImage {
  const docker = options.format === 'docker';
  const platform = options.platform ?? DEFAULT_PLATFORM;
  const layerType = options.layerMediaType ?? (docker ? mediaTypes.dockerLayer : mediaTypes.ociLayer);
  const layers = options.layers.map((bytes) => blob(layerType, Buffer.from(bytes)));
  const config = blob(
    docker ? mediaTypes.dockerConfig : mediaTypes.ociConfig,
    json({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant && { variant: platform.variant }),
      created: '2024-01-01T00:00:00Z',
      config: options.runtime ?? { Env: ['PATH=/usr/bin:/bin'] },
      rootfs: { type: 'layers', diff_ids: options.diffIds ?? layers.map((layer) => digestOf(layer.bytes)) },
      history: options.history ?? layers.map((_, index) => ({ created_by: `layer ${index}` })),
    }),
  );
  const manifestType = docker ? mediaTypes.dockerManifest : mediaTypes.ociManifest;
  const manifest = blob(
    manifestType,
    json({
      schemaVersion: 2,
      mediaType: manifestType,
      config: descriptor(config),
      layers: layers.map(descriptor),
    }),
  );
  return { kind: 'image', platform, manifest, config, layers };
}

function platformOf(entry: FakeIndexEntry): Platform | null {
  if (entry.platform !== undefined) return entry.platform;
  return entry.content.kind === 'image' ? entry.content.platform : null;
}

/** An image index (or Docker manifest list) over images or nested indexes. */
export function fakeIndex(
  entries: readonly FakeIndexEntry[],
  options: { format?: 'oci' | 'docker' } = {},
): FakeIndex {
  const indexType = options.format === 'docker' ? mediaTypes.dockerManifestList : mediaTypes.ociIndex;
  const manifests = entries.map((entry) => {
    const platform = platformOf(entry);
    return {
      ...descriptor(entry.content.manifest),
      ...(platform && { platform }),
      ...(entry.annotations && { annotations: entry.annotations }),
    };
  });
  const manifest = blob(indexType, json({ schemaVersion: 2, mediaType: indexType, manifests }));
  return { kind: 'index', manifest, children: entries.map((entry) => entry.content) };
}

/** A buildx-style attestation child: platform unknown/unknown, annotated as an attestation manifest. */
export function fakeAttestation(of: FakeImage): FakeIndexEntry {
  return {
    content: fakeImage({ layers: ['{"predicateType":"https://slsa.dev/provenance/v0.2"}'] }),
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': of.manifest.digest,
    },
  };
}

/** Every blob the content needs stored: manifests, configs and layers, nested children included. */
export function blobsOf(content: FakeContent): FakeBlob[] {
  if (content.kind === 'image') return [content.manifest, content.config, ...content.layers];
  return [content.manifest, ...content.children.flatMap(blobsOf)];
}
