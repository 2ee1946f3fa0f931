// `customs inventory` of a multi-arch image: an OCI index over app (linux/amd64), base-arm64
// (linux/arm64) and a BuildKit-style attestation manifest (unknown/unknown), pushed with
// `skopeo copy --all` to an anonymous registry.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import { assertAppInventory, assertArm64Inventory } from '../support/inventory-assertions.js';
import { parseInventories, parseInventory } from '../support/inventory-document.js';
import { pushImage } from '../support/skopeo.js';
import { useRegistry } from '../support/use-registry.js';

const e2e = e2eEnvironment();

describe('customs inventory <multi-arch index>', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);
  const registry = useRegistry({ auth: 'none' });
  const ref = () => `${registry().host}/e2e/multi:1.0`;

  before(async () => {
    await pushImage(images.layout, 'multi', ref(), { all: true });
  });

  test('the index really has an attestation child for the scanner to skip', () => {
    const attestation = truth.multi.manifests.find(
      (child) => child.annotations['vnd.docker.reference.type'] === 'attestation-manifest',
    );
    assert.deepEqual(attestation?.platform, { os: 'unknown', architecture: 'unknown' });
    assert.equal(attestation?.annotations['vnd.docker.reference.digest'], truth.app.digest);
  });

  test('without --platform, linux/amd64 is scanned: the app image', async () => {
    const result = await runCustoms(['inventory', ref(), '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assertAppInventory(parseInventory(result.stdout), truth, 'compressed');
  });

  test(`--platform linux/arm64 gives the arm64 dpkg database`, async () => {
    const result = await runCustoms(['inventory', ref(), '--format', 'json', '--platform', 'linux/arm64']);
    assert.equal(result.code, 0, result.stderr);
    assertArm64Inventory(parseInventory(result.stdout), truth, 'compressed');
  });

  test('--platform all gives one document per runnable platform, the attestation skipped', async () => {
    const result = await runCustoms(['inventory', ref(), '--format', 'json', '--platform', 'all']);
    assert.equal(result.code, 0, result.stderr);
    const documents = parseInventories(result.stdout);
    const bottomLayers = documents.map((doc) => doc.layers[0]?.digest);
    assert.deepEqual(
      [...bottomLayers].sort(),
      [truth.app.layers[0]?.digest, truth.baseArm64.layers[0]?.digest].sort(),
      'documents are amd64 and arm64, nothing for unknown/unknown',
    );
    for (const doc of documents) {
      if (doc.layers[0]?.digest === truth.app.layers[0]?.digest) assertAppInventory(doc, truth, 'compressed');
      else assertArm64Inventory(doc, truth, 'compressed');
    }
  });

  test('--platform with a platform the index lacks exits 1 naming it', async () => {
    const result = await runCustoms(['inventory', ref(), '--format', 'json', '--platform', 'linux/s390x']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr.trim(), /^[^\n]*linux\/s390x[^\n]*$/);
  });
});
