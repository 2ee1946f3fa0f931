import { withDeadline } from '../deadline.js';
import type { HarborAdapterDeps } from './harbor-deps.js';
import { CONSUMED_MIME_TYPES, MIME, SBOM_MEDIA_TYPES } from './media-types.js';
import { scannerOf } from './scan-report.js';

/**
 * GET /api/v1/metadata: what Customs scans and produces for Harbor, and when its vulnerability data
 * last changed (Harbor shows it). Harbor calls this to check the scanner is healthy, so a database
 * that does not answer within `timeoutMs` fails it.
 */
export async function scannerMetadata(deps: HarborAdapterDeps, timeoutMs: number) {
  const status = await withDeadline(
    deps.vulnReader.status(),
    timeoutMs,
    () => new Error(`the vulnerability database did not answer within ${timeoutMs} ms`),
  );
  return {
    scanner: scannerOf(deps),
    capabilities: [
      {
        type: 'vulnerability',
        consumes_mime_types: [...CONSUMED_MIME_TYPES],
        produces_mime_types: [MIME.vulnerabilityReport],
      },
      {
        type: 'sbom',
        consumes_mime_types: [...CONSUMED_MIME_TYPES],
        produces_mime_types: [MIME.sbomReport],
        additional_attributes: { sbom_media_types: [...SBOM_MEDIA_TYPES] },
      },
    ],
    properties: {
      'harbor.scanner-adapter/scanner-type': 'os-package-vulnerability',
      ...(status.lastImport && {
        'harbor.scanner-adapter/vulnerability-database-updated-at':
          status.lastImport.finishedAt.toISOString(),
      }),
      'customs.advisories': String(status.advisories),
    },
  };
}
