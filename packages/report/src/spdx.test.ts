import assert from 'node:assert/strict';
import test from 'node:test';
import { toInventoryDocument } from './inventory-document.js';
import { renderSpdx, toSpdx } from './spdx.js';
import { DEBIAN_NODE_GO_LAYERS, fixtureImage } from './testing/fixture-image.js';
import { goofScan, TOOL } from './testing/goof-scan.js';
import { spdxSchemaCheck } from './testing/json-schemas.js';

const checkSpdx = spdxSchemaCheck();
const CREATED = new Date('2025-01-02T03:04:05.678Z');
const NAMESPACE = 'https://example.com/customs/spdx/debian-python-12-0b7c1d1e';

test('a small image as SPDX 2.3, exactly: image root (CONTAINER), OS, packages, DESCRIBES and CONTAINS', async () => {
  const image = await fixtureImage(DEBIAN_NODE_GO_LAYERS.slice(0, 1));
  const layer = image.layers[0]?.digest;
  const text = renderSpdx(toInventoryDocument('debian-python:12', image), {
    tool: TOOL,
    created: CREATED,
    documentNamespace: NAMESPACE,
  });
  const unknown = { downloadLocation: 'NOASSERTION', filesAnalyzed: false, copyrightText: 'NOASSERTION' };
  const pkg = (id: string, name: string, version: string, declared: string, path: string, purl: string) => ({
    SPDXID: id,
    name,
    versionInfo: version,
    ...unknown,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: declared,
    primaryPackagePurpose: 'LIBRARY',
    sourceInfo: `acquired package info from ${path} in layer ${layer}`,
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }],
  });
  const status = 'var/lib/dpkg/status';
  const document = JSON.parse(text);
  assert.equal(checkSpdx(document), null);
  assert.deepEqual(document, {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'debian-python:12',
    documentNamespace: NAMESPACE,
    creationInfo: { created: '2025-01-02T03:04:05Z', creators: ['Tool: customs-0.1.0'] },
    packages: [
      {
        SPDXID: 'SPDXRef-Image',
        name: 'debian-python:12',
        versionInfo: image.manifestDigest,
        ...unknown,
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        primaryPackagePurpose: 'CONTAINER',
      },
      {
        SPDXID: 'SPDXRef-OperatingSystem',
        name: 'debian',
        versionInfo: '12',
        ...unknown,
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        primaryPackagePurpose: 'OPERATING_SYSTEM',
      },
      pkg(
        'SPDXRef-Package-deb-python3-pyrsistent-0.18.1-1-b3',
        'python3-pyrsistent',
        '0.18.1-1+b3',
        'NOASSERTION',
        status,
        'pkg:deb/debian/python3-pyrsistent@0.18.1-1+b3?arch=amd64&distro=debian-12',
      ),
      pkg(
        'SPDXRef-Package-deb-python3-six-1.16.0-4',
        'python3-six',
        '1.16.0-4',
        'NOASSERTION',
        status,
        'pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12',
      ),
      pkg(
        'SPDXRef-Package-pypi-six-1.16.0',
        'six',
        '1.16.0',
        'MIT',
        'usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO',
        'pkg:pypi/six@1.16.0',
      ),
    ],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: 'SPDXRef-Image',
      },
      {
        spdxElementId: 'SPDXRef-Image',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-OperatingSystem',
      },
      {
        spdxElementId: 'SPDXRef-Image',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-Package-deb-python3-pyrsistent-0.18.1-1-b3',
      },
      {
        spdxElementId: 'SPDXRef-Image',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-Package-deb-python3-six-1.16.0-4',
      },
      {
        spdxElementId: 'SPDXRef-Image',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-Package-pypi-six-1.16.0',
      },
      {
        spdxElementId: 'SPDXRef-Package-deb-python3-six-1.16.0-4',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-Package-pypi-six-1.16.0',
      },
    ],
  });
});

test('the fixture scan as SPDX is valid against the official 2.3 schema; a broken one is not', async () => {
  const { document } = await goofScan();
  const spdx = JSON.parse(renderSpdx(document, { tool: TOOL }));
  assert.equal(checkSpdx(spdx), null);
  assert.equal(spdx.packages.length, document.packages.length + 2);
  assert.equal('vulnerabilities' in spdx, false);
  const [root, os, ...rest] = spdx.packages;
  assert.equal(os.primaryPackagePurpose, 'OPERATING_SYSTEM');
  // The spelling Customs once wrote: the schema's enum has an underscore.
  assert.match(
    checkSpdx({ ...spdx, packages: [root, { ...os, primaryPackagePurpose: 'OPERATING-SYSTEM' }, ...rest] }) ??
      '',
    /primaryPackagePurpose must be equal to one of the allowed values/,
  );
  const { downloadLocation: _dropped, ...rootWithoutLocation } = root;
  assert.match(
    checkSpdx({ ...spdx, packages: [rootWithoutLocation, os, ...rest] }) ?? '',
    /must have required property 'downloadLocation'/,
  );
});

test('SPDX ids are unique and use only the allowed characters, whatever the package names', async () => {
  const { document } = await goofScan();
  const [first] = document.packages;
  assert.ok(first);
  const scoped = {
    ...first,
    name: '@babel/core',
    version: '7.0.0+build_1',
    purl: 'pkg:npm/%40babel/core@7.0.0',
  };
  const packages = [...document.packages, scoped, { ...scoped, name: '@babel:core' }];
  const ids = toSpdx({ ...document, packages }, { tool: TOOL }).packages.map((pkg) => pkg.SPDXID);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^SPDXRef-[A-Za-z0-9.-]+$/.test(id)));
  assert.deepEqual(ids.slice(-2), [
    `SPDXRef-Package-${first.type}--babel-core-7.0.0-build-1`,
    `SPDXRef-Package-${first.type}--babel-core-7.0.0-build-1-2`,
  ]);
});

test('licenseDeclared: SPDX expressions as written, several joined with AND, free text as NOASSERTION', async () => {
  const { document } = await goofScan();
  const spdx = toSpdx(document, { tool: TOOL });
  const declared = (name: string, version: string) =>
    spdx.packages.find((pkg) => pkg.name === name && pkg.versionInfo === version)?.licenseDeclared;
  assert.equal(declared('six', '1.16.0'), 'MIT');
  assert.equal(declared('spdx-expression-parse', '1.0.2'), '(MIT AND CC-BY-3.0)');
  assert.equal(declared('amdefine', '1.0.0'), 'BSD-3-Clause AND MIT');
  assert.equal(declared('optimist', '0.6.1'), 'NOASSERTION');
  assert.equal(declared('symbol', '0.2.3'), 'NOASSERTION');
  assert.equal(declared('express', '4.12.4'), 'NOASSERTION');
  assert.ok(spdx.packages.every((pkg) => pkg.licenseConcluded === 'NOASSERTION'));
  const [first] = document.packages;
  assert.ok(first);
  const withLicenses = (licenses: string[]) =>
    toSpdx({ ...document, packages: [{ ...first, licenses }] }, { tool: TOOL }).packages[2]?.licenseDeclared;
  assert.equal(withLicenses(['MIT', 'Apache-2.0 OR ISC']), 'MIT AND (Apache-2.0 OR ISC)');
  assert.equal(withLicenses(['MIT', 'see LICENSE']), 'NOASSERTION');
  assert.equal(withLicenses(['LicenseRef-Proprietary']), 'NOASSERTION');
});

test('every package is contained in the image, the six egg-info in python3-six; namespaces are fresh per document', async () => {
  const { document } = await goofScan();
  const spdx = toSpdx(document, { tool: TOOL, created: CREATED });
  const contains = spdx.relationships.filter((relation) => relation.relationshipType === 'CONTAINS');
  assert.equal(contains.filter((relation) => relation.spdxElementId === 'SPDXRef-Image').length, 469);
  assert.deepEqual(
    contains.filter((relation) => relation.spdxElementId !== 'SPDXRef-Image'),
    [
      {
        spdxElementId: 'SPDXRef-Package-deb-python3-six-1.16.0-4',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-Package-pypi-six-1.16.0',
      },
    ],
  );
  assert.match(
    spdx.documentNamespace,
    /^https:\/\/example\.com\/customs\/customs\/registry\.example-customs-goof-1-[0-9a-f-]{36}$/,
  );
  assert.notEqual(toSpdx(document, { tool: TOOL }).documentNamespace, spdx.documentNamespace);
  const anonymous = toSpdx(document, { tool: { name: 'Customs', version: '0.1.0' } });
  assert.match(
    anonymous.documentNamespace,
    /^https:\/\/spdx\.org\/spdxdocs\/customs\/registry\.example-customs-goof-1-/,
  );
});
