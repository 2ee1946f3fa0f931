import { asArray, asRecord, asString, asStringOrNull, parseJson } from './json-shape.js';

// The JSON of `customs inventory --format json`, as the CLI contract defines it. Parsed field by field,
// so a contract break fails with the path of the field rather than deep inside an assertion.

export interface InventoryPackage {
  type: string;
  name: string;
  version: string;
  purl: string;
  source: { name: string; version: string } | null;
  /** purl of the OS package whose files include this package's metadata. */
  ownedBy: string | null;
  /** Image-root-relative, no leading slash. */
  path: string;
  /** Digest of the layer that introduced the package; null where there are no layers (a rootfs dir). */
  layer: string | null;
}

export interface InventoryLayer {
  digest: string;
  createdBy: string | null;
}

export interface InventoryDocument {
  target: string;
  distro: { id: string; versionId: string | null } | null;
  layers: InventoryLayer[];
  packages: InventoryPackage[];
}

/** One document: the output of a single-platform inventory. */
export function parseInventory(stdout: string): InventoryDocument {
  return inventoryDocument(parseJson(stdout, 'customs inventory output'), '$');
}

/** An array of documents: the output of `--platform all`. */
export function parseInventories(stdout: string): InventoryDocument[] {
  const documents = asArray(parseJson(stdout, 'customs inventory output'), '$');
  return documents.map((document, index) => inventoryDocument(document, `$[${index}]`));
}

function inventoryDocument(value: unknown, where: string): InventoryDocument {
  const record = asRecord(value, where);
  return {
    target: asString(record.target, `${where}.target`),
    distro: record.distro === null ? null : distro(record.distro, `${where}.distro`),
    layers: asArray(record.layers, `${where}.layers`).map((layer, index) => {
      const entry = asRecord(layer, `${where}.layers[${index}]`);
      return {
        digest: asString(entry.digest, `${where}.layers[${index}].digest`),
        createdBy: asStringOrNull(entry.createdBy ?? null, `${where}.layers[${index}].createdBy`),
      };
    }),
    packages: asArray(record.packages, `${where}.packages`).map((pkg, index) =>
      inventoryPackage(pkg, `${where}.packages[${index}]`),
    ),
  };
}

function distro(value: unknown, where: string): { id: string; versionId: string | null } {
  const record = asRecord(value, where);
  return {
    id: asString(record.id, `${where}.id`),
    versionId: asStringOrNull(record.versionId ?? null, `${where}.versionId`),
  };
}

function inventoryPackage(value: unknown, where: string): InventoryPackage {
  const record = asRecord(value, where);
  const source =
    record.source === null || record.source === undefined ? null : asRecord(record.source, `${where}.source`);
  return {
    type: asString(record.type, `${where}.type`),
    name: asString(record.name, `${where}.name`),
    version: asString(record.version, `${where}.version`),
    purl: asString(record.purl, `${where}.purl`),
    source: source && {
      name: asString(source.name, `${where}.source.name`),
      version: asString(source.version, `${where}.source.version`),
    },
    ownedBy: asStringOrNull(record.ownedBy, `${where}.ownedBy`),
    path: asString(record.path, `${where}.path`),
    layer: asStringOrNull(record.layer ?? null, `${where}.layer`),
  };
}
