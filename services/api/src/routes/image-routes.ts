import { checkImageConfig } from '@customs/imageconfig';
import { PACKAGE_TYPES } from '@customs/inventory';
import { matchInventory } from '@customs/matcher';
import type { Finding } from '@customs/model';
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
import { loadImageVex } from '@customs/verdicts';
import { statementFor, vexSummary } from '@customs/vex';
import type { ApiContext } from '../api-context.js';
import { mayReadRepository, requireDigestRepository } from '../auth/repository-access.js';
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
    async getImageReport({ path, query, token }) {
      const filter: FindingFilter = {
        ...(query.severity !== undefined && { severities: parseSeverities(query.severity) }),
        ignoreUnfixed: query.ignoreUnfixed ?? false,
      };
      await requireDigestRepository(store, token, path.digest);
      const image = await requireInventory(store, path.digest);
      const [match, status, vex] = await Promise.all([
        matchInventory({ distro: image.distro, packages: image.packages }, vulnReader),
        vulnReader.status(),
        loadImageVex(store.vex, [image.digest]),
      ]);
      const vulnerabilityData = toVulnerabilityData(status);
      const statements = vex.statements.map((stored) => stored.statement);
      const vexOf = (finding: Finding) => vexSummary(statementFor(statements, finding, vex));
      const document = toScanDocument(inventoryDocument(image), match, { vulnerabilityData, filter, vexOf });
      // Images stored before Customs kept the config: the field stays absent, not an empty "all clear".
      const body =
        image.imageConfig === null
          ? document
          : withConfigFindings(document, checkImageConfig(image.imageConfig));
      return { status: 200, body };
    },
    async getImageSbom({ path, query, token }) {
      const format = query.format ?? 'cyclonedx';
      await requireDigestRepository(store, token, path.digest);
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
    async findImagesWithPackage({ query, token }) {
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
        .filter((image) => mayReadRepository(token, image.repository))
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
