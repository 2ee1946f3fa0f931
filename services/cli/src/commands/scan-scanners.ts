import { checkImageConfig } from '@customs/imageconfig';
import type { IndexedImage } from '@customs/indexer';
import type { ScannerName } from '@customs/model';
import { renderLicenseSection, withConfigFindings, type ScanDocument } from '@customs/report';

/**
 * The scan document with what the scanners beside `vuln` found. `config`: checks on the image's
 * config blob (a root filesystem directory has none, so its document says nothing either way).
 */
export function withScannerFindings(
  document: ScanDocument,
  image: IndexedImage,
  scanners: readonly ScannerName[],
): ScanDocument {
  if (!scanners.includes('config') || image.imageConfig === null) return document;
  return withConfigFindings(document, checkImageConfig(image.imageConfig));
}

/** Table sections only some scanners ask for: `license` lists every package's licenses. */
export function scannerTableSections(document: ScanDocument, scanners: readonly ScannerName[]): string {
  return scanners.includes('license') ? renderLicenseSection(document) : '';
}
