import { matchInventory } from '@customs/matcher';
import { renderSbom, sortFindings, type SbomFormat } from '@customs/report';
import type { ArtifactKind } from '@customs/store';
import { inventoryDocument, requireInventory } from '../routes/stored-image.js';
import type { HarborAdapterDeps } from './harbor-deps.js';
import {
  HarborCapabilityError,
  HarborRequestInvalidError,
  HarborScanFailedError,
  HarborScanIncompleteError,
  HarborScanRequestNotFoundError,
} from './harbor-errors.js';
import { MIME, SBOM_MEDIA_TYPES, type ReportKind, type SbomMediaType } from './media-types.js';
import {
  toHarborVulnerabilityReport,
  type HarborArtifact,
  type HarborScanner,
} from './vulnerability-report.js';

export type ReportAnswer = { ready: false } | { ready: true; mediaType: string; body: unknown };

const SBOM_FORMATS: Record<SbomMediaType, { format: SbomFormat; artifact: ArtifactKind }> = {
  'application/spdx+json': { format: 'spdx', artifact: 'sbom-spdx' },
  'application/vnd.cyclonedx+json': { format: 'cyclonedx', artifact: 'sbom-cyclonedx' },
};

/**
 * GET /api/v1/scan/{id}/report: not ready while the scan is queued or running (the caller answers
 * 302), the scan's error once it failed, an error too for a vulnerability report of a scan that could
 * not read what it needed (it would look clean), else the report Accept names, built from the stored
 * inventory with today's vulnerability data (as every Customs report is).
 */
export async function scanReport(
  deps: HarborAdapterDeps,
  id: string,
  kind: ReportKind,
  sbomMediaType: unknown,
): Promise<ReportAnswer> {
  if (kind.kind === 'unsupported')
    throw new HarborCapabilityError(`reports as ${kind.mediaType || '(none)'}`);
  const sbomType = kind.kind === 'sbom' ? requireSbomMediaType(sbomMediaType) : null;
  const request = await deps.requests.get(id);
  if (request === null) throw new HarborScanRequestNotFoundError(id);
  // A report the request did not enable was never asked for: like an unknown id (as Trivy's adapter).
  if (sbomType === null ? !request.vulnerability : !request.sbomMediaTypes.includes(sbomType)) {
    throw new HarborScanRequestNotFoundError(`${id} (${sbomType ?? kind.mediaType})`);
  }
  const scan = await deps.store.scans.get(request.scanId);
  if (scan === null) throw new HarborScanRequestNotFoundError(id);
  if (scan.status === 'queued' || scan.status === 'running') return { ready: false };
  if (scan.status === 'failed') throw new HarborScanFailedError(id, scan.error);
  const image = await requireInventory(deps.store, request.artifact.digest);
  const scanner = scannerOf(deps);
  if (sbomType === null) {
    const unread = image.incomplete ?? [];
    if (unread.length > 0) throw new HarborScanIncompleteError(id, unread);
    const { findings } = await matchInventory(
      { distro: image.distro, packages: image.packages },
      deps.vulnReader,
    );
    const body = toHarborVulnerabilityReport({
      findings: sortFindings(findings),
      artifact: request.artifact,
      scanner,
      generatedAt: deps.now(),
    });
    return { ready: true, mediaType: kind.mediaType, body };
  }
  const { format, artifact } = SBOM_FORMATS[sbomType];
  const stored = await deps.store.artifacts.get(image.digest, artifact);
  const sbom = stored ?? JSON.parse(renderSbom(format, inventoryDocument(image), { tool: deps.tool }));
  return {
    ready: true,
    mediaType: MIME.sbomReport,
    // The SBOM is the scan's: made when it finished.
    body: sbomReport(request.artifact, scanner, scan.finishedAt ?? deps.now(), sbomType, sbom),
  };
}

export function scannerOf(deps: Pick<HarborAdapterDeps, 'tool'>): HarborScanner {
  return { name: deps.tool.name, vendor: 'Customs', version: deps.tool.version };
}

function requireSbomMediaType(value: unknown): SbomMediaType {
  const type = SBOM_MEDIA_TYPES.find((known) => known === value);
  if (type === undefined) {
    throw new HarborRequestInvalidError([
      `query.sbom_media_type must be one of ${SBOM_MEDIA_TYPES.join(', ')} for ${MIME.sbomReport}`,
    ]);
  }
  return type;
}

function sbomReport(
  artifact: HarborArtifact,
  scanner: HarborScanner,
  generatedAt: Date,
  mediaType: SbomMediaType,
  sbom: unknown,
) {
  const document = typeof sbom === 'object' && sbom !== null ? (sbom as Record<string, unknown>) : {};
  const specVersion = document.specVersion ?? document.spdxVersion;
  return {
    generated_at: generatedAt.toISOString(),
    artifact: { ...artifact },
    scanner,
    vendor_attributes: {
      'created-by': scanner.name,
      ...(typeof specVersion === 'string' && { 'spec-version': specVersion }),
    },
    media_type: mediaType,
    sbom: document,
  };
}
