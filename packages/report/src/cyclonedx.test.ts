import assert from 'node:assert/strict';
import test from 'node:test';
import { renderCycloneDx } from './cyclonedx.js';
import { toInventoryDocument } from './inventory-document.js';
import { DEBIAN_NODE_GO_LAYERS, fixtureImage } from './testing/fixture-image.js';
import { goofScan, TOOL } from './testing/goof-scan.js';
import { cycloneDxCheck } from './testing/json-schemas.js';

const TIMESTAMP = new Date('2025-01-02T03:04:05Z');
const SERIAL = 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79';
const checkCycloneDx = cycloneDxCheck();

interface Bom {
  components: Array<{ name: string; version?: string; purl?: string; 'bom-ref': string; licenses?: unknown }>;
  vulnerabilities?: Array<{ id: string; affects: Array<{ ref: string }>; [key: string]: unknown }>;
  [key: string]: unknown;
}

function parseBom(text: string): Bom {
  return JSON.parse(text);
}

test('a small image as CycloneDX 1.6, exactly: image as metadata.component, OS and packages as components', async () => {
  const image = await fixtureImage(DEBIAN_NODE_GO_LAYERS.slice(0, 1));
  const layer = image.layers[0]?.digest;
  const text = renderCycloneDx(toInventoryDocument('debian-python:12', image), {
    tool: TOOL,
    timestamp: TIMESTAMP,
    serialNumber: SERIAL,
  });
  assert.equal(await checkCycloneDx(text), null);
  const deb = (name: string, version: string, purl: string, source: string) => ({
    type: 'library',
    name,
    version,
    'bom-ref': purl,
    purl,
    properties: [
      { name: 'customs:layer', value: layer },
      { name: 'customs:path', value: 'var/lib/dpkg/status' },
      { name: 'customs:sourcePackage', value: source },
    ],
  });
  const pyrsistent = 'pkg:deb/debian/python3-pyrsistent@0.18.1-1+b3?arch=amd64&distro=debian-12';
  const python3Six = 'pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12';
  assert.deepEqual(JSON.parse(text), {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    serialNumber: SERIAL,
    metadata: {
      timestamp: '2025-01-02T03:04:05.000Z',
      tools: { components: [{ type: 'application', name: 'Customs', version: '0.1.0' }] },
      component: {
        type: 'container',
        name: 'debian-python:12',
        version: image.manifestDigest,
        'bom-ref': 'image:debian-python:12',
        properties: [{ name: 'customs:platform', value: 'linux/amd64' }],
      },
    },
    components: [
      { type: 'operating-system', name: 'debian', version: '12', 'bom-ref': 'os:debian@12' },
      deb('python3-pyrsistent', '0.18.1-1+b3', pyrsistent, 'pyrsistent 0.18.1-1'),
      deb('python3-six', '1.16.0-4', python3Six, 'six 1.16.0-4'),
      {
        type: 'library',
        name: 'six',
        version: '1.16.0',
        'bom-ref': 'pkg:pypi/six@1.16.0',
        licenses: [{ license: { id: 'MIT' } }],
        purl: 'pkg:pypi/six@1.16.0',
        properties: [
          { name: 'customs:layer', value: layer },
          { name: 'customs:ownedBy', value: python3Six },
          { name: 'customs:path', value: 'usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO' },
        ],
      },
    ],
    dependencies: [
      {
        ref: 'image:debian-python:12',
        dependsOn: ['os:debian@12', pyrsistent, python3Six, 'pkg:pypi/six@1.16.0'],
      },
      { ref: 'os:debian@12' },
      { ref: pyrsistent },
      { ref: python3Six },
      { ref: 'pkg:pypi/six@1.16.0' },
    ],
  });
});

test('the fixture scan as CycloneDX passes the library validator (strict 1.6 schema); a broken one does not', async () => {
  const { document } = await goofScan();
  const text = renderCycloneDx(document, { tool: TOOL, timestamp: TIMESTAMP, serialNumber: SERIAL });
  assert.equal(await checkCycloneDx(text), null);
  const bom = parseBom(text);
  const broken = {
    ...bom,
    components: [{ ...bom.components[0], type: 'nonsense' }, ...bom.components.slice(1)],
  };
  assert.notEqual(await checkCycloneDx(JSON.stringify(broken)), null);
});

test('every package is a component with a unique bom-ref; the OS is one too', async () => {
  const { document } = await goofScan();
  const bom = parseBom(renderCycloneDx(document, { tool: TOOL }));
  assert.equal(bom.components.length, document.packages.length + 1);
  assert.equal(new Set(bom.components.map((component) => component['bom-ref'])).size, bom.components.length);
  assert.match(String(bom.serialNumber), /^urn:uuid:[0-9a-f-]{36}$/);
  assert.notEqual(parseBom(renderCycloneDx(document, { tool: TOOL })).serialNumber, bom.serialNumber);
});

test('licenses: an SPDX id, a compound expression, and free text kept as a name', async () => {
  const { document } = await goofScan();
  const bom = parseBom(renderCycloneDx(document, { tool: TOOL }));
  const licensesOf = (name: string, version: string) =>
    bom.components.find((component) => component.name === name && component.version === version)?.licenses;
  assert.deepEqual(licensesOf('six', '1.16.0'), [{ license: { id: 'MIT' } }]);
  assert.deepEqual(licensesOf('spdx-expression-parse', '1.0.2'), [{ expression: '(MIT AND CC-BY-3.0)' }]);
  assert.deepEqual(licensesOf('optimist', '0.6.1'), [{ license: { name: 'MIT/X11' } }]);
  assert.equal(licensesOf('express', '4.12.4'), undefined);
});

test('vulnerabilities: one per id, rated from the finding, affecting the bom-refs of every affected package', async () => {
  const { document } = await goofScan();
  const bom = parseBom(renderCycloneDx(document, { tool: TOOL }));
  const vulnerabilities = bom.vulnerabilities ?? [];
  assert.deepEqual(
    vulnerabilities.map((vulnerability) => vulnerability.id),
    [
      'CVE-2024-29041',
      'CVE-2024-43796',
      'CVE-2024-45337',
      'CVE-2024-45590',
      'CVE-2024-47764',
      'CVE-2025-15284',
      'CVE-2026-33997',
    ],
  );
  const qs = vulnerabilities.find((vulnerability) => vulnerability.id === 'CVE-2025-15284');
  const purlOf = new Map(bom.components.map((component) => [component['bom-ref'], component.purl]));
  assert.deepEqual(
    qs?.affects.map((affect) => purlOf.get(affect.ref)),
    ['pkg:npm/qs@1.2.2', 'pkg:npm/qs@2.2.4', 'pkg:npm/qs@2.4.2', 'pkg:npm/qs@6.3.3'],
  );
  assert.deepEqual(qs?.['ratings'], [
    {
      source: { name: 'OSV', url: 'https://osv.dev' },
      score: 7.5,
      severity: 'high',
      method: 'CVSSv31',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    },
  ]);
  assert.equal(qs?.['recommendation'], 'upgrade qs to 6.14.1');
  assert.deepEqual(qs?.['source'], { name: 'OSV', url: 'https://osv.dev/vulnerability/CVE-2025-15284' });
  assert.deepEqual(qs?.['references'], [
    { id: 'GHSA-6rw7-vpxm-498p', source: { url: 'https://osv.dev/vulnerability/GHSA-6rw7-vpxm-498p' } },
  ]);
  const docker = vulnerabilities.find((vulnerability) => vulnerability.id === 'CVE-2026-33997');
  assert.deepEqual(docker?.['ratings'], [
    { source: { name: 'OSV', url: 'https://osv.dev' }, severity: 'unknown' },
  ]);
  assert.equal(docker?.['recommendation'], undefined);
  assert.deepEqual(docker?.affects, [
    {
      ref: 'pkg:golang/github.com/docker/docker@v20.10.11+incompatible',
      versions: [{ version: 'v20.10.11+incompatible', status: 'affected' }],
    },
  ]);
});

test('an inventory document, or a scan without findings, is a pure SBOM: no vulnerabilities at all', async () => {
  const { inventory, document } = await goofScan();
  for (const input of [inventory, { ...document, findings: [] }]) {
    const text = renderCycloneDx(input, { tool: TOOL });
    assert.equal(await checkCycloneDx(text), null);
    assert.equal('vulnerabilities' in parseBom(text), false);
  }
});
