import type { InventoryDocument } from './inventory-document.js';
import { renderTable } from './table.js';

/** `--scanners license`: every package with the licenses it declares, `unknown` where it declares none. */
export function renderLicenseSection(document: InventoryDocument): string {
  if (document.packages.length === 0) return '';
  const rows = document.packages.map((pkg) => [
    pkg.type,
    pkg.name,
    pkg.version,
    pkg.licenses?.length ? pkg.licenses.join('; ') : 'unknown',
  ]);
  return (
    `licenses (${rows.length} packages)\n` + renderTable(['TYPE', 'PACKAGE', 'VERSION', 'LICENSES'], rows)
  );
}
