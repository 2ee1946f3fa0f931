import type { Readable } from 'node:stream';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** Which images of an index to scan: one platform (default linux/amd64) or every runnable one. */
export type PlatformSelector = { kind: 'one'; platform: Platform } | { kind: 'all' };

export interface LayerDescriptor {
  digest: string;
  mediaType: string;
  size: number;
  /** The uncompressed digest from the config's rootfs.diff_ids, when the config has one for this layer. */
  diffId: string | null;
  /** The `created_by` of the image history entry that produced this layer, when recorded. */
  createdBy: string | null;
}

export interface OpenLayerOptions {
  signal?: AbortSignal;
  /** Called as compressed bytes arrive, with the running total for this layer. */
  onBytes?(received: number): void;
}

/** The parts of an image config (OCI image spec `config`) Customs reads. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    Env?: string[] | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Labels?: Record<string, string> | null;
    /** `USER` as written: a name or uid, optionally `:group`; absent or empty means root. */
    User?: string;
    /** `EXPOSE`d ports as keys: `80/tcp`, `53/udp`. */
    ExposedPorts?: Record<string, unknown> | null;
    /** `HEALTHCHECK`; `Test: ["NONE"]` switches an inherited one off. */
    Healthcheck?: { Test?: string[] } | null;
  };
  rootfs?: { type?: string; diff_ids?: string[] };
  history?: Array<{ created?: string; created_by?: string; empty_layer?: boolean; comment?: string }>;
}

/** One runnable image: a manifest with its config and layers, resolved from whatever the user named. */
export interface ResolvedImage {
  /** The target as the user wrote it, plus the platform when an index was involved. */
  reference: string;
  /** Digest of the image manifest (not of the index it came from); null for a root filesystem directory. */
  manifestDigest: string | null;
  /** Digest of the index the manifest was chosen from, if any. */
  indexDigest: string | null;
  platform: Platform | null;
  config: ImageConfig | null;
  configDigest: string | null;
  /** Bottom layer first. Empty for a root filesystem directory (see `rootfs`). */
  layers: LayerDescriptor[];
  /** Set when the target is a plain directory holding an unpacked root filesystem. */
  rootfs: string | null;
  /**
   * The layer's blob as it is stored (still compressed), streamed and verified against its digest while
   * it streams: a mismatch errors the stream at its end, so a consumer never completes on bad bytes.
   */
  openLayer(layer: LayerDescriptor, options?: OpenLayerOptions): Promise<Readable>;
  /**
   * Where the layer's blob lies in a local file, for a reader that seeks to the parts it needs instead
   * of streaming the blob through `openLayer`; null when it must be streamed (a registry). Bytes read
   * this way are not checked against the layer's digest (docs/decisions.md).
   */
  localLayer(layer: LayerDescriptor): LocalBlob | null;
}

/** A byte range of a local file holding a blob: a member of an image archive, or a layout's blob file. */
export interface LocalBlob {
  file: string;
  start: number;
  size: number;
}

/** Something images can be read from: a registry repository, an OCI layout, an archive, a directory. */
export interface ImageSource {
  /** How to name this source in messages. */
  readonly description: string;
  resolve(selector: PlatformSelector): Promise<ResolvedImage[]>;
  close(): Promise<void>;
}
