import type { CoveredPackage, Finding, Package, UnmatchedPackage } from '@customs/model';
import {
  toInventoryDocument,
  type IdentifiedInventory,
  type InventoryDocument,
} from '../inventory-document.js';
import { toScanDocument, type ScanDocument } from '../scan-document.js';
import type { ToolInfo } from '../tool-info.js';
import type { VulnerabilityData } from '../vulnerability-data.js';
import { fixtureImage } from './fixture-image.js';
import { findingFromOsv } from './osv-finding.js';

export const TARGET = 'registry.example/customs/goof:1';

/** Test values: the version and address a CLI build would pass. */
export const TOOL: ToolInfo = {
  name: 'Customs',
  version: '0.1.0',
  informationUri: 'https://example.com/customs',
};

/** The database state importing test/fixtures/report/osv would record; the time is made up. */
export const VULNERABILITY_DATA: VulnerabilityData = {
  lastImport: '2025-01-02T03:04:05.000Z',
  advisories: 7,
  sources: [
    {
      ecosystem: 'Go',
      advisories: 2,
      lastImport: '2025-01-02T03:04:05.000Z',
      source: 'test/fixtures/report/osv',
    },
    {
      ecosystem: 'npm',
      advisories: 5,
      lastImport: '2025-01-02T03:04:05.000Z',
      source: 'test/fixtures/report/osv',
    },
  ],
};

export interface GoofScan {
  image: IdentifiedInventory;
  inventory: InventoryDocument;
  /** In no particular order (Go first), as a matcher might return them. */
  findings: Finding[];
  covered: CoveredPackage[];
  unmatched: UnmatchedPackage[];
  document: ScanDocument;
}

/**
 * The fixture image with the findings its packages get from the real OSV records in
 * test/fixtures/report/osv; fixed versions read from each record's range for the package.
 */
export async function goofScan(): Promise<GoofScan> {
  const image = await fixtureImage();
  const inventory = toInventoryDocument(TARGET, image);
  const pkg = (name: string, version: string): Package => {
    const found = image.packages.find(
      (candidate) => candidate.name === name && candidate.version === version,
    );
    if (!found) throw new Error(`the fixture image has no ${name} ${version}`);
    return found;
  };
  const findings = [
    findingFromOsv(
      'go/GO-2024-3321.json',
      pkg('golang.org/x/crypto', 'v0.0.0-20201002170205-7f63de1d35b0'),
      '0.31.0',
    ),
    findingFromOsv('go/GO-2026-4883.json', pkg('github.com/docker/docker', 'v20.10.11+incompatible'), null),
    findingFromOsv('npm/GHSA-pxg6-pf52-xh8x.json', pkg('cookie', '0.1.2'), '0.7.0'),
    findingFromOsv('npm/GHSA-qw6h-vgh9-j6wx.json', pkg('express', '4.12.4'), '4.20.0'),
    findingFromOsv('npm/GHSA-rv95-896h-c2vc.json', pkg('express', '4.12.4'), '4.19.2'),
    ...['6.3.3', '2.4.2', '2.2.4', '1.2.2'].map((version) =>
      findingFromOsv('npm/GHSA-6rw7-vpxm-498p.json', pkg('qs', version), '6.14.1'),
    ),
    findingFromOsv('npm/GHSA-qwcr-r2fm-qrc7.json', pkg('body-parser', '1.9.0'), '1.20.3'),
  ];
  const six = pkg('six', '1.16.0');
  const covered = [{ package: summary(six), ownedBy: six.ownedBy ?? '' }];
  // Synthetic: the matcher's "could not judge" shape, on a real package, with a made-up reason.
  const unmatched = [
    { package: summary(pkg('python3-pyrsistent', '0.18.1-1+b3')), reason: 'synthetic reason' },
  ];
  const document = toScanDocument(
    inventory,
    { findings, covered, unmatched, warnings: [] },
    { vulnerabilityData: VULNERABILITY_DATA },
  );
  return { image, inventory, findings, covered, unmatched, document };
}

function summary(pkg: Package): Finding['package'] {
  return { type: pkg.type, name: pkg.name, version: pkg.version, purl: pkg.purl };
}
