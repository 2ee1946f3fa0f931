import { randomUUID } from 'node:crypto';
import { Contrib, Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import type { Cvss, Finding, Severity } from '@customs/matcher';
import parse from 'spdx-expression-parse';
import { advisoryUrl } from './advisory-link.js';
import { configProperties } from './config-findings.js';
import type { InventoryDocument } from './inventory-document.js';
import { combinedExpression, isCompound, readLicense } from './license-expression.js';
import { isScanDocument, type ScanDocument } from './scan-document.js';
import type { ToolInfo } from './tool-info.js';

type DocumentPackage = InventoryDocument['packages'][number];

export interface CycloneDxOptions {
  tool: ToolInfo;
  /** When the BOM was made; defaults to now. */
  timestamp?: Date;
  /** `urn:uuid:…`; a fresh one by default, as the spec asks for every new BOM. */
  serialNumber?: string;
}

const licenseFactory = new Contrib.License.Factories.LicenseFactory((expression: string) => {
  parse(expression);
});

/**
 * A CycloneDX BOM of an image: the image as metadata.component, the OS and every package as
 * components, and, for a scan document, one vulnerability per id affecting the packages' bom-refs.
 * An inventory document gives a pure SBOM.
 */
export function toCycloneDx(
  document: InventoryDocument | ScanDocument,
  options: CycloneDxOptions,
): Models.Bom {
  const bom = new Models.Bom({ serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}` });
  const image = imageComponent(document);
  bom.metadata.timestamp = options.timestamp ?? new Date();
  bom.metadata.component = image;
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, options.tool.name, {
      version: options.tool.version,
    }),
  );
  const os = osComponent(document);
  if (os) bom.components.add(os);
  const packages = packageComponents(document.packages);
  for (const component of [os, ...packages.values()]) if (component) image.dependencies.add(component.bomRef);
  packages.forEach((component) => bom.components.add(component));
  if (isScanDocument(document)) {
    bom.metadata.properties.add(
      property('vulnerabilityData:lastImport', document.vulnerabilityData.lastImport ?? 'never'),
    );
    vulnerabilities(document.findings, packages).forEach((vulnerability) =>
      bom.vulnerabilities.add(vulnerability),
    );
    configProperties(document).forEach(([name, value]) => image.properties.add(property(name, value)));
  }
  return bom;
}

/** CycloneDX 1.6 JSON, lists sorted so the same input always gives the same bytes. */
export function renderCycloneDx(
  document: InventoryDocument | ScanDocument,
  options: CycloneDxOptions,
): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(toCycloneDx(document, options), { sortLists: true, space: 2 }) + '\n';
}

function imageComponent(document: InventoryDocument): Models.Component {
  const image = new Models.Component(Enums.ComponentType.Container, document.target, {
    bomRef: `image:${document.target}`,
    ...(document.manifestDigest && { version: document.manifestDigest }),
  });
  if (document.platform) image.properties.add(property('platform', document.platform));
  return image;
}

function osComponent(document: InventoryDocument): Models.Component | null {
  if (!document.distro) return null;
  const { id, versionId } = document.distro;
  return new Models.Component(Enums.ComponentType.OperatingSystem, id, {
    bomRef: `os:${id}${versionId ? `@${versionId}` : ''}`,
    ...(versionId && { version: versionId }),
  });
}

/** Keyed by package so findings find their component; bom-refs are purls, numbered when a purl repeats. */
function packageComponents(packages: readonly DocumentPackage[]): Map<DocumentPackage, Models.Component> {
  const purlCounts = new Map<string, number>();
  for (const pkg of packages) purlCounts.set(pkg.purl, (purlCounts.get(pkg.purl) ?? 0) + 1);
  const numbered = new Map<string, number>();
  const components = new Map<DocumentPackage, Models.Component>();
  for (const pkg of packages) {
    let bomRef = pkg.purl;
    if ((purlCounts.get(pkg.purl) ?? 0) > 1) {
      const number = (numbered.get(pkg.purl) ?? 0) + 1;
      numbered.set(pkg.purl, number);
      bomRef = `${pkg.purl}#${number}`;
    }
    components.set(pkg, packageComponent(pkg, bomRef));
  }
  return components;
}

function packageComponent(pkg: DocumentPackage, bomRef: string): Models.Component {
  const component = new Models.Component(Enums.ComponentType.Library, pkg.name, {
    bomRef,
    version: pkg.version,
    purl: pkg.purl,
  });
  licenses(pkg.licenses ?? []).forEach((license) => component.licenses.add(license));
  component.properties.add(property('layer', pkg.layer));
  component.properties.add(property('path', pkg.path));
  if (pkg.ownedBy) component.properties.add(property('ownedBy', pkg.ownedBy));
  if (pkg.source)
    component.properties.add(property('sourcePackage', `${pkg.source.name} ${pkg.source.version}`));
  return component;
}

/**
 * CycloneDX takes either licenses or one expression per component. Several declarations with a
 * compound expression among them become one expression when all are SPDX, else names as written.
 */
function licenses(declared: readonly string[]): Models.License[] {
  const read = declared.map(readLicense);
  if (read.length > 1 && read.some(isCompound)) {
    const expression = combinedExpression(read);
    return expression
      ? [new Models.LicenseExpression(expression)]
      : read.map((license) => licenseFactory.makeNamedLicense(license.text));
  }
  return read.map((license) => licenseFactory.makeFromString(license.text));
}

function vulnerabilities(
  findings: readonly Finding[],
  packages: ReadonlyMap<DocumentPackage, Models.Component>,
): Models.Vulnerability.Vulnerability[] {
  const byPlace = new Map([...packages].map(([pkg, component]) => [placeKey(pkg), component]));
  const byId = new Map<string, { first: Finding; group: Finding[] }>();
  for (const finding of findings) {
    const known = byId.get(finding.id);
    if (known) known.group.push(finding);
    else byId.set(finding.id, { first: finding, group: [finding] });
  }
  return [...byId.values()].map(({ first, group }) => {
    const upgrade = recommendation(group);
    const vulnerability = new Models.Vulnerability.Vulnerability({
      bomRef: `vulnerability:${first.id}`,
      id: first.id,
      source: new Models.Vulnerability.Source({ name: 'OSV', url: advisoryUrl(first.id) }),
      ...(first.summary && { description: first.summary }),
      ...(upgrade && { recommendation: upgrade }),
    });
    vulnerability.ratings.add(rating(first.severity, first.cvss));
    for (const alias of first.aliases) {
      vulnerability.references.add(
        new Models.Vulnerability.Reference(
          alias,
          new Models.Vulnerability.Source({ url: advisoryUrl(alias) }),
        ),
      );
    }
    // Findings come from the same inventory as the components, so each finds its package.
    for (const finding of group) {
      const component = byPlace.get(
        placeKey({ ...finding.package, path: finding.path, layer: finding.layer }),
      );
      if (component) vulnerability.affects.add(affect(component, finding));
    }
    for (const advisory of first.advisories) vulnerability.properties.add(property('advisory', advisory));
    return vulnerability;
  });
}

function rating(severity: Severity, cvss: Cvss | null): Models.Vulnerability.Rating {
  return new Models.Vulnerability.Rating({
    source: new Models.Vulnerability.Source({ name: 'OSV', url: 'https://osv.dev' }),
    severity: CDX_SEVERITY[severity],
    ...(cvss && { score: cvss.score, vector: cvss.vector, method: ratingMethod(cvss.version) }),
  });
}

/** Negligible is CycloneDX's informational end: a finding worth listing, not worth acting on. */
const CDX_SEVERITY: Record<Severity, Enums.Vulnerability.Severity> = {
  CRITICAL: Enums.Vulnerability.Severity.Critical,
  HIGH: Enums.Vulnerability.Severity.High,
  MEDIUM: Enums.Vulnerability.Severity.Medium,
  LOW: Enums.Vulnerability.Severity.Low,
  NEGLIGIBLE: Enums.Vulnerability.Severity.Info,
  UNKNOWN: Enums.Vulnerability.Severity.Unknown,
};

function ratingMethod(version: string): Enums.Vulnerability.RatingMethod {
  switch (version) {
    case '4.0':
      return Enums.Vulnerability.RatingMethod.CVSSv4;
    case '3.1':
      return Enums.Vulnerability.RatingMethod.CVSSv31;
    case '3.0':
      return Enums.Vulnerability.RatingMethod.CVSSv3;
    case '2.0':
      return Enums.Vulnerability.RatingMethod.CVSSv2;
    default:
      return Enums.Vulnerability.RatingMethod.Other;
  }
}

function recommendation(group: readonly Finding[]): string | undefined {
  const upgrades = [
    ...new Set(
      group.flatMap((f) => (f.fixedVersion ? [`upgrade ${f.package.name} to ${f.fixedVersion}`] : [])),
    ),
  ];
  return upgrades.length ? upgrades.join('; ') : undefined;
}

/** A package is one purl at one path of one layer: the same purl can sit in two lockfiles. */
function placeKey(place: { purl: string; path: string; layer: string }): string {
  return `${place.purl}\0${place.path}\0${place.layer}`;
}

function affect(component: Models.Component, finding: Finding): Models.Vulnerability.Affect {
  const affected = new Models.Vulnerability.AffectedSingleVersion(finding.package.version, {
    status: Enums.Vulnerability.AffectStatus.Affected,
  });
  return new Models.Vulnerability.Affect(component.bomRef, {
    versions: new Models.Vulnerability.AffectedVersionRepository([affected]),
  });
}

/** Properties in Customs' namespace (CycloneDX property taxonomy: `tool:name`). */
function property(name: string, value: string): Models.Property {
  return new Models.Property(`customs:${name}`, value);
}
