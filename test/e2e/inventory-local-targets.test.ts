// `customs inventory` of the same app image in every local form: an OCI layout dir with a tag, an
// oci-archive and a docker-archive (both written by `skopeo copy`), and the unpacked root filesystem.
// Each must match the ground truth, and all four the same package set (only layer digests differ).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import { assertAppInventory, packageSet, type LayerNaming } from '../support/inventory-assertions.js';
import { parseInventory, type InventoryDocument } from '../support/inventory-document.js';

const e2e = e2eEnvironment();

describe('customs inventory <local target>', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);
  const targets: ReadonlyArray<{ name: string; target: string; naming: LayerNaming }> = [
    { name: 'OCI layout dir with a tag', target: `${images.layout}:app`, naming: 'compressed' },
    { name: 'oci-archive', target: images.ociArchive, naming: 'compressed' },
    {
      name: 'docker-archive (layers stored uncompressed)',
      target: images.dockerArchive,
      naming: 'uncompressed',
    },
    { name: 'root filesystem directory (no layers)', target: images.rootfs, naming: 'none' },
  ];
  const documents = new Map<string, InventoryDocument>();

  for (const { name, target, naming } of targets) {
    test(`${name}: the JSON inventory is the ground truth`, async () => {
      const result = await runCustoms(['inventory', target, '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const doc = parseInventory(result.stdout);
      assertAppInventory(doc, truth, naming);
      documents.set(name, doc);
    });
  }

  test('all four forms give the same packages, modulo layer digests', () => {
    assert.equal(documents.size, targets.length, 'every form was scanned successfully above');
    const [first, ...rest] = [...documents.values()].map(packageSet);
    for (const set of rest) assert.deepEqual(set, first);
  });

  test('the table format lists packages with their versions', async () => {
    const result = await runCustoms(['inventory', `${images.layout}:app`, '--format', 'table']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    const samples = [
      ['python3-requests', truth.debsAmd64.find((deb) => deb.name === 'python3-requests')?.version],
      ['setuptools', truth.python.find((dist) => dist.name === 'setuptools')?.version],
      ['stdlib', `v${truth.go.toolchain.replace(/^go/, '')}`],
      ['lodash', '4.17.15'],
    ] as const;
    for (const [name, version] of samples) {
      assert.ok(version, `ground truth has ${name}`);
      const pattern = new RegExp(`(^|\\s)${name}\\s.*${version.replace(/[.+]/g, '\\$&')}`);
      assert.ok(
        lines.some((line) => pattern.test(line)),
        `a table line shows ${name} ${version}`,
      );
    }
  });
});
