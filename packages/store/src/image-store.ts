import type { Database, Queryable } from '@customs/db';
import type { IndexedImage } from '@customs/indexer';
import type { Distro, ImageLayer, IncompleteRecord, Package, PackageType } from '@customs/inventory';
import type { ImageSecrets } from '@customs/model';

/** Where an image lives: what the worker pulled it from. */
export interface ImageLocation {
  registry: string;
  repository: string;
}

/** An indexed image manifest as stored: enough to rebuild its inventory without touching the registry. */
export interface StoredImage extends ImageLocation {
  digest: string;
  platform: string | null;
  configDigest: string | null;
  distro: Distro | null;
  layers: ImageLayer[];
  packages: Package[];
  warnings: string[];
  /**
   * What the scan needed but could not read; not empty, the inventory may lack packages. Null for an
   * image indexed before Customs kept these records: nobody knows, and a rescan tells.
   */
  incomplete: IncompleteRecord[] | null;
  /** The image config's labels; null for an image indexed before Customs kept them. */
  labels: Record<string, string> | null;
  /** The config blob's parts Customs reads, for the config checks; null for images stored before it was kept. */
  imageConfig: IndexedImage['imageConfig'];
  /** Credentials found in the layers (redacted); null: indexed without the secret scanner. */
  secrets: ImageSecrets | null;
  analyzers: string[];
  indexedAt: Date;
}

export interface ImageWithPackage extends ImageLocation {
  digest: string;
  platform: string | null;
  package: Pick<Package, 'type' | 'name' | 'version' | 'purl' | 'path' | 'layer'>;
}

/** What the worker knows of a manifest beyond its inventory. */
export interface ManifestExtra {
  configDigest: string | null;
  analyzers: string[];
  /** The image config's labels (absent: not known). */
  labels?: Record<string, string> | null;
}

/** A platform manifest of an index, as the index links it. */
export interface IndexChild {
  digest: string;
  platform: string;
}

export interface ImageStore {
  /** Records an indexed manifest and its packages (replacing an earlier record of the same digest). */
  save(image: IndexedImage, where: ImageLocation, extra: ManifestExtra): Promise<void>;
  get(digest: string): Promise<StoredImage | null>;
  /** Records that an index (manifest list) holds these platform manifests. */
  linkIndex(indexDigest: string, children: readonly IndexChild[]): Promise<void>;
  children(indexDigest: string): Promise<IndexChild[]>;
  /** The indexes known to hold this manifest (none: a standalone image, or an index not scanned yet). */
  indexesOf(manifestDigest: string): Promise<string[]>;
  /** Remembers what a tag pointed to when we last saw it (webhook, scan request). */
  recordTag(where: ImageLocation, tag: string, digest: string): Promise<void>;
  resolveTag(where: ImageLocation, tag: string): Promise<string | null>;
  /** Every stored image with this package (by binary or source name), optionally at one version. */
  containing(query: { type: PackageType; name: string; version?: string }): Promise<ImageWithPackage[]>;
}

export interface ManifestRow {
  digest: string;
  registry: string;
  repository: string;
  platform: string | null;
  config_digest: string | null;
  distro: Distro | null;
  layers: ImageLayer[];
  analyzers: string[];
  warnings: string[];
  incomplete: IncompleteRecord[] | null;
  labels: Record<string, string> | null;
  image_config: IndexedImage['imageConfig'];
  secrets: ImageSecrets | null;
  indexed_at: Date;
}

export interface PackageRow {
  type: PackageType;
  name: string;
  version: string;
  purl: string;
  source_name: string | null;
  source_version: string | null;
  owned_by: string | null;
  path: string;
  layer: string;
  licenses: string[] | null;
}

export function createImageStore(db: Database): ImageStore {
  return {
    async save(image, where, extra) {
      await db.transaction((tx) => writeManifest(tx, image, where, extra));
    },
    async get(digest) {
      const [row] = await db.query<ManifestRow>('select * from manifests where digest = $1', [digest]);
      if (!row) return null;
      const packages = await db.query<PackageRow>(
        'select * from manifest_packages where manifest_digest = $1 order by ordinal',
        [digest],
      );
      return toStoredImage(row, packages);
    },
    async linkIndex(indexDigest, children) {
      await db.transaction((tx) => writeIndexChildren(tx, indexDigest, children));
    },
    async children(indexDigest) {
      return db.query<{ digest: string; platform: string }>(
        'select manifest_digest as digest, platform from index_children where index_digest = $1 order by platform',
        [indexDigest],
      );
    },
    async indexesOf(manifestDigest) {
      const rows = await db.query<{ digest: string }>(
        'select index_digest as digest from index_children where manifest_digest = $1 order by 1',
        [manifestDigest],
      );
      return rows.map((row) => row.digest);
    },
    async recordTag(where, tag, digest) {
      await db.query(
        `insert into image_refs (registry, repository, tag, digest) values ($1, $2, $3, $4)
         on conflict (registry, repository, tag) do update set digest = excluded.digest, updated_at = now()`,
        [where.registry, where.repository, tag, digest],
      );
    },
    async resolveTag(where, tag) {
      const [row] = await db.query<{ digest: string }>(
        'select digest from image_refs where registry = $1 and repository = $2 and tag = $3',
        [where.registry, where.repository, tag],
      );
      return row?.digest ?? null;
    },
    async containing(query) {
      const rows = await db.query<ManifestRow & PackageRow & { manifest_digest: string }>(
        `select m.digest, m.registry, m.repository, m.platform, p.type, p.name, p.version, p.purl, p.path, p.layer
           from manifest_packages p join manifests m on m.digest = p.manifest_digest
          where p.type = $1 and (p.name = $2 or p.source_name = $2) and ($3::text is null or p.version = $3)
          order by m.registry, m.repository, m.digest`,
        [query.type, query.name, query.version ?? null],
      );
      return rows.map((row) => ({
        digest: row.digest,
        registry: row.registry,
        repository: row.repository,
        platform: row.platform,
        package: {
          type: row.type,
          name: row.name,
          version: row.version,
          purl: row.purl,
          path: row.path,
          layer: row.layer,
        },
      }));
    },
  };
}

/** Inside `tx`: the manifest row and its packages, replacing an earlier record of the same digest. */
export async function writeManifest(
  tx: Queryable,
  image: IndexedImage,
  where: ImageLocation,
  extra: ManifestExtra,
): Promise<void> {
  const digest = image.manifestDigest;
  if (!digest) throw new Error('only registry images (with a manifest digest) are stored');
  await tx.query(
    `insert into manifests
       (digest, registry, repository, platform, config_digest, distro, layers, analyzers, warnings, incomplete, labels,
        image_config, secrets)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::text[], $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb,
       $13::jsonb)
     on conflict (digest) do update set registry = excluded.registry, repository = excluded.repository,
       platform = excluded.platform, config_digest = excluded.config_digest, distro = excluded.distro,
       layers = excluded.layers, analyzers = excluded.analyzers, warnings = excluded.warnings,
       incomplete = excluded.incomplete, labels = excluded.labels, image_config = excluded.image_config,
       secrets = excluded.secrets, indexed_at = now()`,
    [
      digest,
      where.registry,
      where.repository,
      image.platform ? platformText(image.platform) : null,
      extra.configDigest,
      JSON.stringify(image.distro),
      JSON.stringify(image.layers),
      extra.analyzers,
      JSON.stringify(image.warnings),
      JSON.stringify(image.incomplete),
      JSON.stringify(extra.labels ?? null),
      JSON.stringify(image.imageConfig),
      JSON.stringify(image.secrets ?? null),
    ],
  );
  await tx.query('delete from manifest_packages where manifest_digest = $1', [digest]);
  await insertPackages(tx, digest, image.packages);
}

/** Inside `tx`: links an index (manifest list) to its platform manifests. */
export async function writeIndexChildren(
  tx: Queryable,
  indexDigest: string,
  children: readonly IndexChild[],
): Promise<void> {
  for (const child of children) {
    await tx.query(
      `insert into index_children (index_digest, manifest_digest, platform) values ($1, $2, $3)
       on conflict do nothing`,
      [indexDigest, child.digest, child.platform],
    );
  }
}

async function insertPackages(tx: Queryable, digest: string, packages: readonly Package[]): Promise<void> {
  const columns = (pick: (pkg: Package) => unknown) => packages.map(pick);
  await tx.query(
    `insert into manifest_packages
       (manifest_digest, ordinal, type, name, version, purl, source_name, source_version, owned_by, path, layer, licenses)
     select $1, t.ordinal - 1, t.type, t.name, t.version, t.purl, t.source_name, t.source_version, t.owned_by, t.path,
            t.layer, t.licenses::jsonb
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[]) with ordinality
         as t(type, name, version, purl, source_name, source_version, owned_by, path, layer, licenses, ordinal)`,
    [
      digest,
      columns((pkg) => pkg.type),
      columns((pkg) => pkg.name),
      columns((pkg) => pkg.version),
      columns((pkg) => pkg.purl),
      columns((pkg) => pkg.source?.name ?? null),
      columns((pkg) => pkg.source?.version ?? null),
      columns((pkg) => pkg.ownedBy),
      columns((pkg) => pkg.path),
      columns((pkg) => pkg.layer),
      columns((pkg) => (pkg.licenses ? JSON.stringify(pkg.licenses) : null)),
    ],
  );
}

export function toStoredImage(row: ManifestRow, packages: readonly PackageRow[]): StoredImage {
  return {
    digest: row.digest,
    registry: row.registry,
    repository: row.repository,
    platform: row.platform,
    configDigest: row.config_digest,
    distro: row.distro,
    layers: row.layers,
    packages: packages.map(toPackage),
    warnings: row.warnings,
    incomplete: row.incomplete,
    labels: row.labels,
    imageConfig: row.image_config,
    secrets: row.secrets,
    analyzers: row.analyzers,
    indexedAt: row.indexed_at,
  };
}

function toPackage(row: PackageRow): Package {
  return {
    type: row.type,
    name: row.name,
    version: row.version,
    purl: row.purl,
    source:
      row.source_name !== null && row.source_version !== null
        ? { name: row.source_name, version: row.source_version }
        : null,
    ownedBy: row.owned_by,
    path: row.path,
    layer: row.layer,
    ...(row.licenses && { licenses: row.licenses }),
  };
}

function platformText(platform: { os: string; architecture: string; variant?: string }): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
