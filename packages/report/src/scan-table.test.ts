import assert from 'node:assert/strict';
import test from 'node:test';
import { toScanDocument } from './scan-document.js';
import { renderScanTable } from './scan-table.js';
import { goofScan } from './testing/goof-scan.js';

test('the table: heading, counts per severity, one row per finding, covered packages, unmatched as warnings', async () => {
  const { document } = await goofScan();
  assert.equal(
    renderScanTable(document),
    `registry.example/customs/goof:1 (linux/amd64)
distro: debian 12
vulnerability data: 7 advisories, last import 2025-01-02T03:04:05.000Z
Total: 10 (CRITICAL: 0, HIGH: 5, MEDIUM: 2, LOW: 1, NEGLIGIBLE: 0, UNKNOWN: 2)

PACKAGE                   VULNERABILITY   SEVERITY  INSTALLED                           FIXED   TITLE
body-parser               CVE-2024-45590  HIGH      1.9.0                               1.20.3  body-parser vulnerable to denial of service when url encodi…
qs                        CVE-2025-15284  HIGH      1.2.2                               6.14.1  qs's arrayLimit bypass in its bracket notation allows DoS v…
qs                        CVE-2025-15284  HIGH      2.2.4                               6.14.1  qs's arrayLimit bypass in its bracket notation allows DoS v…
qs                        CVE-2025-15284  HIGH      2.4.2                               6.14.1  qs's arrayLimit bypass in its bracket notation allows DoS v…
qs                        CVE-2025-15284  HIGH      6.3.3                               6.14.1  qs's arrayLimit bypass in its bracket notation allows DoS v…
express                   CVE-2024-29041  MEDIUM    4.12.4                              4.19.2  Express.js Open Redirect in malformed URLs
express                   CVE-2024-43796  MEDIUM    4.12.4                              4.20.0  express vulnerable to XSS via response.redirect()
cookie                    CVE-2024-47764  LOW       0.1.2                               0.7.0   cookie accepts cookie name, path, and domain with out of bo…
github.com/docker/docker  CVE-2026-33997  UNKNOWN   v20.10.11+incompatible                      Moby has an Off-by-one error in its plugin privilege valida…
golang.org/x/crypto       CVE-2024-45337  UNKNOWN   v0.0.0-20201002170205-7f63de1d35b0  0.31.0  Misuse of connection.serverAuthenticate may cause authoriza…

language packages owned by OS packages (1): their fixes come with the distribution, so they were not matched against upstream advisories
  pypi six 1.16.0, owned by pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12

warning: not judged: deb python3-pyrsistent 0.18.1-1+b3: synthetic reason
`,
  );
});

test('with no findings and no data the table says so, and warns that nothing was checked', async () => {
  const { inventory } = await goofScan();
  const document = toScanDocument(
    {
      ...inventory,
      warnings: ["var/lib/dpkg/info/x.list: no installed package in this layer's status owns this file list"],
    },
    { findings: [], covered: [], unmatched: [] },
    { vulnerabilityData: { lastImport: null, advisories: 0, sources: [] } },
  );
  assert.equal(
    renderScanTable(document),
    `registry.example/customs/goof:1 (linux/amd64)
distro: debian 12
vulnerability data: never imported
Total: 0 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, NEGLIGIBLE: 0, UNKNOWN: 0)

no vulnerabilities found

warning: no vulnerability data was imported: nothing was checked (run \`customs db import\`)
warning: var/lib/dpkg/info/x.list: no installed package in this layer's status owns this file list
`,
  );
});

test('an image without platform or distro, with a multi-line summary, still renders one line per finding', async () => {
  const { document } = await goofScan();
  const [first] = document.findings;
  assert.ok(first);
  const text = renderScanTable({
    ...document,
    platform: null,
    distro: null,
    findings: [{ ...first, summary: 'two\nlines', fixedVersion: null }],
    coveredByOsPackages: [],
    unmatched: [],
  });
  assert.equal(
    text.split('\n').slice(0, 7).join('\n'),
    `registry.example/customs/goof:1
distro: unknown
vulnerability data: 7 advisories, last import 2025-01-02T03:04:05.000Z
Total: 1 (CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, NEGLIGIBLE: 0, UNKNOWN: 0)

PACKAGE      VULNERABILITY   SEVERITY  INSTALLED  FIXED  TITLE
body-parser  CVE-2024-45590  HIGH      1.9.0             two lines`,
  );
});

test('an incomplete scan says so before anything else, naming each layer and file', async () => {
  const { inventory } = await goofScan();
  const layer = inventory.layers.at(-1)?.digest ?? null;
  const reason =
    'var/lib/dpkg/status: skipped, 1073741824 bytes is more than the 67108864 bytes the dpkg analyzer reads';
  const document = toScanDocument(
    { ...inventory, incomplete: [{ layer, path: 'var/lib/dpkg/status', code: 'FILE_TOO_LARGE', reason }] },
    { findings: [], covered: [], unmatched: [] },
    { vulnerabilityData: { lastImport: '2025-01-02T03:04:05.000Z', advisories: 7, sources: [] } },
  );
  const lines = renderScanTable(document).split('\n');
  assert.match(lines[0] ?? '', /^INCOMPLETE SCAN: Customs could not read a file it needed; /);
  assert.equal(lines[1], `  layer ${inventory.layers.length} (${layer}): ${reason} [FILE_TOO_LARGE]`);
  assert.deepEqual(lines.slice(2, 4), ['', 'registry.example/customs/goof:1 (linux/amd64)']);
  const complete = renderScanTable({ ...document, incomplete: [] });
  assert.doesNotMatch(complete, /INCOMPLETE/);
});
