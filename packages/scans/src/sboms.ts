import { createRequire } from 'node:module';
import type { IndexedImage } from '@customs/indexer';
import { renderSbom, toInventoryDocument, type SbomFormat, type ToolInfo } from '@customs/report';
import type { ArtifactKind } from '@customs/store';

/** An SBOM stored for every image a scan indexes: inventory only, no vulnerabilities. */
export interface SbomRenderer {
  readonly kind: Extract<ArtifactKind, 'sbom-cyclonedx' | 'sbom-spdx'>;
  /** A JSON document; `target` names the image in it (`registry/repository@digest`). */
  render(image: IndexedImage, target: string): unknown;
}

const packageJson: { version: string } = createRequire(import.meta.url)('../package.json');

/** Who made the SBOMs, as they say it. */
export const SCAN_TOOL: ToolInfo = { name: 'Customs', version: packageJson.version };

/** CycloneDX 1.6 and SPDX 2.3 JSON, rendered by @customs/report exactly as the CLI and API render them. */
export function reportSbomRenderers(tool: ToolInfo = SCAN_TOOL): SbomRenderer[] {
  const renderer = (format: SbomFormat, kind: SbomRenderer['kind']): SbomRenderer => ({
    kind,
    render: (image, target): unknown =>
      JSON.parse(renderSbom(format, toInventoryDocument(target, image), { tool })),
  });
  return [renderer('cyclonedx', 'sbom-cyclonedx'), renderer('spdx', 'sbom-spdx')];
}
