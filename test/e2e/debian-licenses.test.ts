// Licenses of the Debian packages of the real app image: what `customs inventory` reports (walking the
// image's layers, so copyright files installed by an earlier layer than dpkg's final status count too)
// must be what python3-debian's debian.copyright reads from the same files of the unpacked image,
// translated with the one documented Debian-to-SPDX name mapping.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { spdxExpressionForSynopsis } from '@customs/inventory';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment, REPO_ROOT } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';

const e2e = e2eEnvironment();
const DEBIAN_PYTHON = '/usr/bin/python3';

/** python3-debian's reading: package → License synopses as written, null where it reads none. */
function debianReading(rootfs: string, packages: ReadonlyArray<{ name: string; sourceName: string }>) {
  const script = `${REPO_ROOT}test/support/debian-copyright.py`;
  const args = packages.map((pkg) => `${pkg.name}:${pkg.sourceName}`);
  const output = execFileSync(DEBIAN_PYTHON, [script, rootfs, ...args], { encoding: 'utf8' });
  return JSON.parse(output) as Record<string, string[] | null>;
}

describe('Debian package licenses from DEP-5 copyright files', { skip: e2e.skip }, () => {
  test('match python3-debian reading the same files of the app image', async () => {
    assert.ok(existsSync(DEBIAN_PYTHON), 'Debian python3 with python3-debian (test/install-deps.sh)');
    const images = e2e.images();
    const truth = loadGroundTruth(images.expected);
    const result = await runCustoms(['inventory', `${images.layout}:app`, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const document = JSON.parse(result.stdout) as {
      packages: Array<{ type: string; name: string; licenses?: string[] }>;
    };
    const reported = new Map(
      document.packages.filter((pkg) => pkg.type === 'deb').map((pkg) => [pkg.name, pkg.licenses ?? null]),
    );
    const reading = debianReading(images.rootfs, truth.debsAmd64);
    const expected = new Map(
      Object.entries(reading).map(([name, synopses]) => [
        name,
        synopses === null ? null : [...new Set(synopses.map((s) => spdxExpressionForSynopsis(s)))],
      ]),
    );
    assert.deepEqual(reported, expected);
    const withLicenses = [...expected.values()].filter((licenses) => licenses !== null).length;
    assert.ok(withLicenses > truth.debsAmd64.length / 2, `most packages have DEP-5 files (${withLicenses})`);
  });
});
