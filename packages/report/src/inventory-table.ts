import { incompleteBanner } from './incomplete-banner.js';
import type { InventoryDocument } from './inventory-document.js';
import { renderTable } from './table.js';

export function renderInventoryTable(document: InventoryDocument): string {
  const layerNumber = new Map(document.layers.map((layer, index) => [layer.digest, String(index + 1)]));
  const distro = document.distro
    ? `${document.distro.id} ${document.distro.versionId ?? ''}`.trim()
    : 'unknown';
  const heading = [
    `${document.target}${document.platform ? ` (${document.platform})` : ''}`,
    `distro: ${distro}`,
    ...document.layers.map((layer, index) =>
      `layer ${index + 1}: ${layer.digest}  ${layer.createdBy ?? ''}`.trimEnd(),
    ),
    `${document.packages.length} packages`,
    '',
  ].join('\n');
  const rows = document.packages.map((pkg) => [
    pkg.type,
    pkg.name,
    pkg.version,
    pkg.source && (pkg.source.name !== pkg.name || pkg.source.version !== pkg.version)
      ? `${pkg.source.name} ${pkg.source.version}`
      : '',
    pkg.ownedBy ? ownerName(pkg.ownedBy) : '',
    layerNumber.get(pkg.layer) ?? '?',
    pkg.path,
  ]);
  const warnings = document.warnings.map((warning) => `warning: ${warning}\n`).join('');
  return (
    incompleteBanner(document) +
    heading +
    '\n' +
    renderTable(['TYPE', 'NAME', 'VERSION', 'SOURCE', 'OWNED BY', 'LAYER', 'PATH'], rows) +
    warnings
  );
}

/** `pkg:deb/debian/python3-urllib3@1.26.12-1?...` → `deb:python3-urllib3`: short enough for a column. */
function ownerName(purl: string): string {
  const match = /^pkg:([^/]+)\/(?:[^/]+\/)?([^@?]+)/.exec(purl);
  return match ? `${match[1]}:${decodeURIComponent(match[2] ?? '')}` : purl;
}
