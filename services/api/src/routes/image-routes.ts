import { checkImageConfig } from '@customs/imageconfig';
import { PACKAGE_TYPES } from '@customs/inventory';
import { matchInventory } from '@customs/matcher';
import {
  FORMAT_MEDIA_TYPES,
  parseSeverities,
  renderSbom,
  toScanDocument,
  toVulnerabilityData,
  withConfigFindings,
  type FindingFilter,
} from '@customs/report';
import type { ArtifactKind } from '@customs/store';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import { JsonText, type Handlers } from '../http/typed-operations.js';
import { inventoryDocument, requireInventory } from './stored-image.js';

const SBOM_ARTIFACTS: Record<'cyclonedx' | 'spdx', ArtifactKind> = {
  cyclonedx: 'sbom-cyclonedx',
  spdx: 'sbom-spdx',
};

export function imageHandlers(
  context: ApiContext,
): Pick<Handlers, 'getImageReport' | 'getImageSbom' | 'findImagesWithPackage'> {
  const { store, vulnReader } = context.deps;
  return {
    async getImageReport({ path, query }) {
      const filter: FindingFilter = {
        ...(query.severity !== undefined && { severities: parseSeverities(query.severity) }),
        ignoreUnfixed: query.ignoreUnfixed ?? false,
      };
      const image = await requireInventory(store, path.digest);
      const [match, status] = await Promise.all([
        matchInventory({ distro: image.distro, packages: image.packages }, vulnReader),
        vulnReader.status(),
      ]);
      const vulnerabilityData = toVulnerabilityData(status);
      const document = toScanDocument(inventoryDocument(image), match, { vulnerabilityData, filter });
      // Images stored before Customs kept the config: the field stays absent, not an empty "all clear".
      const body =
        image.imageConfig === null
          ? document
          : withConfigFindings(document, checkImageConfig(image.imageConfig));
      return { status: 200, body };
    },
    async getImageSbom({ path, query }) {
      const format = query.format ?? 'cyclonedx';
      const image = await requireInventory(store, path.digest);
      const stored = await store.artifacts.get(image.digest, SBOM_ARTIFACTS[format]);
      const text =
        stored === null
          ? renderSbom(format, inventoryDocument(image), { tool: context.tool })
          : JSON.stringify(stored);
      return {
        status: 200,
        body: new JsonText<Schemas['Sbom']>(text),
        contentType: FORMAT_MEDIA_TYPES[format],
      };
    },
    async findImagesWithPackage({ query }) {
      const types = query.type === undefined ? PACKAGE_TYPES : [query.type];
      const found = await Promise.all(
        types.map((type) =>
          store.images.containing({
            type,
            name: query.package,
            ...(query.version !== undefined && { version: query.version }),
          }),
        ),
      );
      const images = found
        .flat()
        .sort(
          (a, b) =>
            compare(a.registry, b.registry) ||
            compare(a.repository, b.repository) ||
            compare(a.digest, b.digest) ||
            compare(a.package.purl, b.package.purl),
        );
      return { status: 200, body: { images } };
    },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
