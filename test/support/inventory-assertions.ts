import assert from 'node:assert/strict';
import type { DebTruth, GoTruth, GroundTruth, LayerTruth, NpmTruth, PythonTruth } from './ground-truth.js';
import type { InventoryDocument, InventoryPackage } from './inventory-document.js';

// Compares a `customs inventory` document with the ground truth of the e2e images. Every list is
// compared whole (sorted, as text, so a failure prints a readable diff), never sampled.

/**
 * How the target names its layers: by the compressed blob digest (registry, OCI layout, oci-archive),
 * by the uncompressed digest (docker-archive stores layers as plain tars), or not at all (a rootfs dir).
 */
export type LayerNaming = 'compressed' | 'uncompressed' | 'none';

/** The `app` image: four layers (debootstrap, Go binary, venv, npm app), exactly these packages. */
export function assertAppInventory(doc: InventoryDocument, truth: GroundTruth, naming: LayerNaming): void {
  const layers = truth.app.layers;
  assertDebian12(doc);
  assertLayers(doc, layers, naming);
  assertDebs(doc, truth.debsAmd64, layerId(layers, 0, naming));
  assertPython(doc, truth.python, { owned: layerId(layers, 0, naming), unowned: layerId(layers, 2, naming) });
  assertNpm(doc, truth.npm, layerId(layers, 3, naming));
  assertGo(doc, truth.go, layerId(layers, 1, naming));
  assert.deepEqual(packageTypes(doc), ['deb', 'golang', 'npm', 'pypi'], 'package types found in app');
}

/** The `base-arm64` image: one layer, the arm64 dpkg database and nothing else. */
export function assertArm64Inventory(doc: InventoryDocument, truth: GroundTruth, naming: LayerNaming): void {
  const layers = truth.baseArm64.layers;
  assertDebian12(doc);
  assertLayers(doc, layers, naming);
  assertDebs(doc, truth.debsArm64, layerId(layers, 0, naming));
  assert.deepEqual(packageTypes(doc), ['deb'], 'package types found in base-arm64');
}

export function assertDebian12(doc: InventoryDocument): void {
  assert.deepEqual(doc.distro, { id: 'debian', versionId: '12' }, 'distro');
}

export function assertLayers(
  doc: InventoryDocument,
  layers: readonly LayerTruth[],
  naming: LayerNaming,
): void {
  if (naming === 'none') return assertDirectoryLayers(doc, layers);
  const expected = layers.map((layer) => ({
    digest: naming === 'compressed' ? layer.digest : layer.diffId,
    createdBy: layer.createdBy,
  }));
  assert.deepEqual(doc.layers, expected, 'layers (digest and created_by, bottom first)');
}

/**
 * A directory has no layers. The document may list none (packages then have layer null) or one entry
 * standing for the directory itself, which every package points at; it must not pose as an image layer.
 */
function assertDirectoryLayers(doc: InventoryDocument, imageLayers: readonly LayerTruth[]): void {
  assert.ok(doc.layers.length <= 1, `a directory is one layer at most, got ${JSON.stringify(doc.layers)}`);
  const [directory] = doc.layers;
  if (directory) {
    assert.equal(directory.createdBy, null, 'the directory pseudo-layer has no created_by');
    const imageDigests = imageLayers.flatMap((layer) => [layer.digest, layer.diffId]);
    assert.ok(!imageDigests.includes(directory.digest), `${directory.digest} is an image layer's digest`);
  }
  const strays = doc.packages.filter((pkg) => pkg.layer !== (directory?.digest ?? null));
  assert.deepEqual(strays, [], `every package's layer is ${directory?.digest ?? null}`);
}

/** Name, version, source name/version and arch of every deb, as dpkg-query lists them; all from var/lib/dpkg/status. */
export function assertDebs(doc: InventoryDocument, truth: readonly DebTruth[], layer: string | null): void {
  const debs = ofType(doc, 'deb');
  const line = (name: string, version: string, sourceName: string, sourceVersion: string, arch: string) =>
    `${name} ${version} source=${sourceName} ${sourceVersion} ${arch}`;
  assert.deepEqual(
    sorted(
      debs.map((p) =>
        line(
          p.name,
          p.version,
          p.source?.name ?? p.name,
          p.source?.version ?? p.version,
          purlQualifier(p.purl, 'arch'),
        ),
      ),
    ),
    sorted(truth.map((d) => line(d.name, d.version, d.sourceName, d.sourceVersion, d.arch))),
    'deb packages vs dpkg-query',
  );
  for (const deb of debs) {
    const purl = parsePurl(deb.purl);
    assert.deepEqual(
      {
        type: purl.type,
        namespace: purl.namespace,
        name: purl.name,
        version: purl.version,
        distro: purl.qualifiers.distro,
      },
      { type: 'deb', namespace: 'debian', name: deb.name, version: deb.version, distro: 'debian-12' },
      `purl of deb ${deb.name}`,
    );
    assert.deepEqual(
      { path: deb.path, ownedBy: deb.ownedBy },
      { path: 'var/lib/dpkg/status', ownedBy: null },
      `deb ${deb.name}`,
    );
    assertLayer(deb, layer);
  }
}

/** Every distribution importlib.metadata sees; Debian's owned by their deb (by purl), the venv's by none. */
export function assertPython(
  doc: InventoryDocument,
  truth: readonly PythonTruth[],
  layers: { owned: string | null; unowned: string | null },
): void {
  const pythons = ofType(doc, 'pypi');
  const debPurls = new Map(ofType(doc, 'deb').map((deb) => [deb.name, deb.purl]));
  const line = (name: string, version: string, ownedBy: string | null) =>
    `${name} ${version} ownedBy=${ownedBy}`;
  assert.deepEqual(
    sorted(pythons.map((p) => line(p.name, p.version, p.ownedBy))),
    sorted(
      truth.map((t) =>
        line(t.name, t.version, t.owner === null ? null : (debPurls.get(t.owner) ?? `<no deb ${t.owner}>`)),
      ),
    ),
    'python packages vs importlib.metadata, ownedBy vs dpkg-query -S',
  );
  for (const dist of truth) {
    const found = pythons.find((p) => p.name === dist.name && p.version === dist.version);
    assert.ok(found, `python ${dist.name}`);
    assert.ok(
      found.path === dist.path || found.path.startsWith(`${dist.path}/`),
      `${dist.name}: path ${found.path} is not in ${dist.path}`,
    );
    assertLayer(found, dist.owner === null ? layers.unowned : layers.owned);
  }
}

/** stdlib at the toolchain version (go1.19.8 → v1.19.8), the build info's modules; the main package may be listed. */
export function assertGo(doc: InventoryDocument, truth: GoTruth, layer: string | null): void {
  const modules = ofType(doc, 'golang');
  const optional = modules.filter((p) => truth.mainModule === null && p.name === truth.mainPackage);
  const expected = [
    `stdlib@v${truth.toolchain.replace(/^go/, '')}`,
    ...(truth.mainModule ? [`${truth.mainModule.path}@${truth.mainModule.version}`] : []),
    ...truth.deps.map((dep) => `${dep.path}@${dep.version}`),
  ];
  assert.deepEqual(
    sorted(modules.filter((p) => !optional.includes(p)).map((p) => `${p.name}@${p.version}`)),
    sorted(expected),
    'go modules vs go version -m',
  );
  for (const module of modules) {
    assert.deepEqual(
      { path: module.path, ownedBy: module.ownedBy },
      { path: truth.binary, ownedBy: null },
      `go ${module.name}`,
    );
    assertLayer(module, layer);
  }
}

/** Exactly the installed packages of the app's lockfile, each once (the app itself is not a dependency). */
export function assertNpm(doc: InventoryDocument, truth: readonly NpmTruth[], layer: string | null): void {
  const npms = ofType(doc, 'npm');
  assert.deepEqual(
    sorted(npms.map((p) => `${p.name}@${p.version}`)),
    sorted(truth.map((t) => `${t.name}@${t.version}`)),
    'npm packages vs package-lock.json',
  );
  for (const npm of npms) {
    assert.ok(npm.path.startsWith('app/'), `npm ${npm.name}: path ${npm.path} is not under app/`);
    assert.equal(npm.ownedBy, null, `npm ${npm.name}: ownedBy`);
    assertLayer(npm, layer);
  }
}

/** The same packages, whatever the target: everything but the layer they came from. */
export function packageSet(doc: InventoryDocument): string[] {
  return sorted(doc.packages.map(({ layer: _layer, ...rest }) => JSON.stringify(rest)));
}

function assertLayer(pkg: InventoryPackage, layer: string | null): void {
  if (layer !== null) assert.equal(pkg.layer, layer, `${pkg.type} ${pkg.name}: layer`);
}

function layerId(layers: readonly LayerTruth[], index: number, naming: LayerNaming): string | null {
  const layer = layers[index];
  if (!layer) throw new Error(`ground truth has no layer ${index}`);
  if (naming === 'none') return null;
  return naming === 'compressed' ? layer.digest : layer.diffId;
}

function ofType(doc: InventoryDocument, type: string): InventoryPackage[] {
  return doc.packages.filter((pkg) => pkg.type === type);
}

function packageTypes(doc: InventoryDocument): string[] {
  return sorted([...new Set(doc.packages.map((pkg) => pkg.type))]);
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

interface ParsedPurl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string>;
}

/** Enough of the purl spec for the checks above: type/namespace/name@version?qualifiers, percent-decoded. */
export function parsePurl(purl: string): ParsedPurl {
  const match = /^pkg:([^/]+)\/(.+?)(?:@([^?#]+))?(?:\?([^#]*))?(?:#.*)?$/.exec(purl);
  if (!match) throw new Error(`not a purl: ${purl}`);
  const [, type = '', path = '', version, query] = match;
  const segments = path.split('/').map(decodeURIComponent);
  const name = segments.pop() ?? '';
  const qualifiers = Object.fromEntries(
    (query ? query.split('&') : []).map((pair) => {
      const [key = '', value = ''] = pair.split('=');
      return [key, decodeURIComponent(value)];
    }),
  );
  return {
    type,
    namespace: segments.length > 0 ? segments.join('/') : null,
    name,
    version: version === undefined ? null : decodeURIComponent(version),
    qualifiers,
  };
}

function purlQualifier(purl: string, key: string): string {
  return parsePurl(purl).qualifiers[key] ?? `<no ${key} in ${purl}>`;
}
