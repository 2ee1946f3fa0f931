import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asArray, asNumber, asRecord, asString, isRecord, parseJson, type JsonRecord } from './json-shape.js';

// What real tools said about the e2e images (files written by test/e2e/images/ground-truth.sh).

/** One line of `dpkg-query -W -f '${Package}\t${Version}\t${source:Package}\t${source:Version}\t${Architecture}'`. */
export interface DebTruth {
  name: string;
  version: string;
  sourceName: string;
  sourceVersion: string;
  arch: string;
}

/** A distribution importlib.metadata sees, with the deb owning its metadata dir per `dpkg-query -S`. */
export interface PythonTruth {
  name: string;
  version: string;
  /** The .dist-info / .egg-info directory, image-root-relative. */
  path: string;
  owner: string | null;
}

export interface GoModuleTruth {
  path: string;
  version: string;
}

/** `go version -m` of the Go binary in the image. */
export interface GoTruth {
  /** Image-root-relative path of the binary. */
  binary: string;
  /** As go writes it, e.g. go1.19.8. */
  toolchain: string;
  /** The `path` line: the main package's import path. */
  mainPackage: string | null;
  /** The `mod` line, absent for binaries built outside module mode. */
  mainModule: GoModuleTruth | null;
  deps: GoModuleTruth[];
}

/** One installed package of the app's package-lock.json (the root project excluded). */
export interface NpmTruth {
  name: string;
  version: string;
  /** Install directory, image-root-relative: app/node_modules/... */
  path: string;
}

export interface LayerTruth {
  digest: string;
  diffId: string;
  mediaType: string;
  size: number;
  createdBy: string;
}

export interface ManifestTruth {
  digest: string;
  configDigest: string;
  platform: { os: string; architecture: string };
  layers: LayerTruth[];
}

export interface IndexChildTruth {
  digest: string;
  platform: { os: string; architecture: string } | null;
  annotations: Record<string, string>;
}

export interface IndexTruth {
  digest: string;
  manifests: IndexChildTruth[];
}

export interface GroundTruth {
  debsAmd64: DebTruth[];
  debsArm64: DebTruth[];
  python: PythonTruth[];
  go: GoTruth;
  npm: NpmTruth[];
  app: ManifestTruth;
  baseArm64: ManifestTruth;
  multi: IndexTruth;
  truncated: ManifestTruth;
  /** How the arm64 rootfs was made: qemu-user-static, or foreign+synthesised-dpkg-status. */
  arm64Method: string;
}

export const GO_BINARY = 'usr/local/bin/registry';
const APP_DIR = 'app';

export function loadGroundTruth(expectedDir: string): GroundTruth {
  const read = (name: string) => readFileSync(join(expectedDir, name), 'utf8');
  const images = asRecord(parseJson(read('images.json'), 'images.json'), 'images.json');
  return {
    debsAmd64: parseDpkgQuery(read('dpkg-amd64.tsv')),
    debsArm64: parseDpkgQuery(read('dpkg-arm64.tsv')),
    python: parsePythonTruth(read('python-amd64.tsv')),
    go: parseGoVersion(read('go-registry.txt'), GO_BINARY),
    npm: parsePackageLock(read('npm-app-package-lock.json'), APP_DIR),
    app: manifestTruth(images.app, 'images.json app'),
    baseArm64: manifestTruth(images['base-arm64'], 'images.json base-arm64'),
    multi: indexTruth(images.multi, 'images.json multi'),
    truncated: manifestTruth(images.truncated, 'images.json truncated'),
    arm64Method: read('arm64-method.txt').trim(),
  };
}

function tsvRows(text: string, columns: number, what: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const fields = line.split('\t');
      if (fields.length !== columns)
        throw new Error(`${what}: expected ${columns} fields in ${JSON.stringify(line)}`);
      return fields;
    });
}

export function parseDpkgQuery(text: string): DebTruth[] {
  return tsvRows(text, 5, 'dpkg-query output').map(
    ([name = '', version = '', sourceName = '', sourceVersion = '', arch = '']) => ({
      name,
      version,
      sourceName,
      sourceVersion,
      arch,
    }),
  );
}

function parsePythonTruth(text: string): PythonTruth[] {
  return tsvRows(text, 4, 'python-amd64.tsv').map(([name = '', version = '', path = '', owner = '-']) => ({
    name,
    version,
    path,
    owner: owner === '-' ? null : owner,
  }));
}

export function parseGoVersion(text: string, binary: string): GoTruth {
  const [first = '', ...lines] = text.split('\n');
  const toolchain = /: (go\S+)$/.exec(first)?.[1];
  if (!toolchain) throw new Error(`go version -m: no toolchain in ${JSON.stringify(first)}`);
  const truth: GoTruth = { binary, toolchain, mainPackage: null, mainModule: null, deps: [] };
  for (const line of lines) {
    const [, kind, path = '', version = ''] = line.split('\t');
    if (kind === 'path') truth.mainPackage = path;
    if (kind === 'mod') truth.mainModule = { path, version };
    if (kind === 'dep') truth.deps.push({ path, version });
    // A replaced module would need the replacement's version; the test binary has none, so say so loudly.
    if (kind === '=>') throw new Error(`go version -m: replace directives are not handled: ${line}`);
  }
  return truth;
}

/** Every installed package in a lockfile v2/v3 `packages` map; the name is the last node_modules segment. */
export function parsePackageLock(text: string, appDir: string): NpmTruth[] {
  const lock = asRecord(parseJson(text, 'package-lock.json'), 'package-lock.json');
  const packages = asRecord(lock.packages, 'package-lock.json packages');
  return Object.entries(packages)
    .filter(([key]) => key.startsWith('node_modules/') || key.includes('/node_modules/'))
    .map(([key, value]) => {
      const entry = asRecord(value, `package-lock.json packages[${key}]`);
      const name =
        typeof entry.name === 'string' ? entry.name : key.slice(key.lastIndexOf('node_modules/') + 13);
      return { name, version: asString(entry.version, `packages[${key}].version`), path: `${appDir}/${key}` };
    });
}

function manifestTruth(value: unknown, where: string): ManifestTruth {
  const record = asRecord(value, where);
  const platform = asRecord(record.platform, `${where}.platform`);
  return {
    digest: asString(record.digest, `${where}.digest`),
    configDigest: asString(record.configDigest, `${where}.configDigest`),
    platform: {
      os: asString(platform.os, `${where}.platform.os`),
      architecture: asString(platform.architecture, `${where}.platform.architecture`),
    },
    layers: asArray(record.layers, `${where}.layers`).map((layer, index) =>
      layerTruth(layer, `${where}.layers[${index}]`),
    ),
  };
}

function layerTruth(value: unknown, where: string): LayerTruth {
  const layer = asRecord(value, where);
  return {
    digest: asString(layer.digest, `${where}.digest`),
    diffId: asString(layer.diffId, `${where}.diffId`),
    mediaType: asString(layer.mediaType, `${where}.mediaType`),
    size: asNumber(layer.size, `${where}.size`),
    createdBy: asString(layer.createdBy, `${where}.createdBy`),
  };
}

function indexTruth(value: unknown, where: string): IndexTruth {
  const record = asRecord(value, where);
  const manifests = asArray(record.manifests, `${where}.manifests`).map((child, index) => {
    const entry = asRecord(child, `${where}.manifests[${index}]`);
    const platform = isRecord(entry.platform) ? entry.platform : null;
    return {
      digest: asString(entry.digest, `${where}.manifests[${index}].digest`),
      platform: platform && {
        os: asString(platform.os, `${where}.manifests[${index}].platform.os`),
        architecture: asString(platform.architecture, `${where}.manifests[${index}].platform.architecture`),
      },
      annotations: stringMap(entry.annotations, `${where}.manifests[${index}].annotations`),
    };
  });
  return { digest: asString(record.digest, `${where}.digest`), manifests };
}

function stringMap(value: unknown, where: string): Record<string, string> {
  const record: JsonRecord = asRecord(value, where);
  return Object.fromEntries(
    Object.entries(record).map(([key, entry]) => [key, asString(entry, `${where}.${key}`)]),
  );
}
