import assert from 'node:assert/strict';
import test from 'node:test';
import { renderLicenseSection } from './license-table.js';
import { goofScan } from './testing/goof-scan.js';

test('the license section lists every package with its licenses, unknown where none is declared', async () => {
  const { document } = await goofScan();
  const section = renderLicenseSection(document);
  const lines = section.trimEnd().split('\n');
  assert.equal(lines[0], `licenses (${document.packages.length} packages)`);
  assert.equal(lines.length, document.packages.length + 2, 'a title, a header and one row per package');
  for (const pkg of document.packages) {
    const licenses = pkg.licenses?.length ? pkg.licenses.join('; ') : 'unknown';
    assert.ok(
      lines.some((line) => line.includes(pkg.name) && line.endsWith(licenses)),
      `${pkg.name}: ${licenses}`,
    );
  }
  assert.ok(
    document.packages.some((pkg) => pkg.licenses?.length),
    'the fixture declares some licenses',
  );
});
