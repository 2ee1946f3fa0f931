import { renderCycloneDx } from './cyclonedx.js';
import { UnsupportedFormatError } from './errors.js';
import type { InventoryDocument } from './inventory-document.js';
import { toSarif } from './sarif.js';
import type { ScanDocument } from './scan-document.js';
import { renderScanTable } from './scan-table.js';
import { renderSpdx } from './spdx.js';
import type { ToolInfo } from './tool-info.js';

/** What `customs scan --format` takes. */
export const SCAN_FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'spdx'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** The formats an SBOM can be asked in (API `sbom_media_type`, Harbor's SBOM capability). */
export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

/** The Content-Type each format is served with. */
export const FORMAT_MEDIA_TYPES: Readonly<Record<ScanFormat, string>> = {
  table: 'text/plain; charset=utf-8',
  json: 'application/json',
  sarif: 'application/sarif+json',
  cyclonedx: 'application/vnd.cyclonedx+json; version=1.6',
  spdx: 'application/spdx+json',
};

export interface RenderOptions {
  tool: ToolInfo;
  /** The time written into SBOMs; defaults to now. */
  now?: Date;
  /** CycloneDX serialNumber; fresh by default. */
  serialNumber?: string;
  /** SPDX documentNamespace; fresh by default. */
  documentNamespace?: string;
}

export function parseScanFormat(text: string): ScanFormat {
  const format = SCAN_FORMATS.find((candidate) => candidate === text);
  if (!format) throw new UnsupportedFormatError(text, SCAN_FORMATS);
  return format;
}

/** One scan document in the asked format, ready to print or serve; CLI and API call only this. */
export function renderScan(format: ScanFormat, document: ScanDocument, options: RenderOptions): string {
  switch (format) {
    case 'table':
      return renderScanTable(document);
    case 'json':
      return JSON.stringify(document, null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(toSarif(document, options.tool), null, 2) + '\n';
    case 'cyclonedx':
      return renderCycloneDx(document, cycloneDxOptions(options));
    case 'spdx':
      return renderSpdx(document, spdxOptions(options));
  }
}

/** An SBOM only: whatever the document holds, no vulnerabilities are written. */
export function renderSbom(format: SbomFormat, document: InventoryDocument, options: RenderOptions): string {
  const inventory = inventoryPart(document);
  return format === 'cyclonedx'
    ? renderCycloneDx(inventory, cycloneDxOptions(options))
    : renderSpdx(inventory, spdxOptions(options));
}

function inventoryPart(document: InventoryDocument): InventoryDocument {
  const { target, platform, manifestDigest, distro, layers, packages, warnings, incomplete } = document;
  return { target, platform, manifestDigest, distro, layers, packages, warnings, incomplete };
}

function cycloneDxOptions(options: RenderOptions) {
  return {
    tool: options.tool,
    ...(options.now && { timestamp: options.now }),
    ...(options.serialNumber && { serialNumber: options.serialNumber }),
  };
}

function spdxOptions(options: RenderOptions) {
  return {
    tool: options.tool,
    ...(options.now && { created: options.now }),
    ...(options.documentNamespace && { documentNamespace: options.documentNamespace }),
  };
}
