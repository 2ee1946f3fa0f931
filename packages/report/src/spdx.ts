import { randomUUID } from 'node:crypto';
import type { InventoryDocument } from './inventory-document.js';
import { combinedExpression, readLicense } from './license-expression.js';
import type { ToolInfo } from './tool-info.js';

type DocumentPackage = InventoryDocument['packages'][number];

interface Identified {
  pkg: DocumentPackage;
  id: string;
}

/** The SPDX 2.3 JSON fields Customs writes (see the spec's `schemas/spdx-schema.json`). */
export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: SpdxRelationship[];
}

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: 'NOASSERTION';
  primaryPackagePurpose?: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY';
  sourceInfo?: string;
  externalRefs?: Array<{
    referenceCategory: 'PACKAGE-MANAGER';
    referenceType: 'purl';
    referenceLocator: string;
  }>;
}

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS';
  relatedSpdxElement: string;
}

export interface SpdxOptions {
  tool: ToolInfo;
  /** When the document was made; defaults to now. */
  created?: Date;
  /** Must be unique per document; defaults to one under the tool's informationUri with a fresh UUID. */
  documentNamespace?: string;
}

const NOASSERTION = 'NOASSERTION';
const IMAGE_ID = 'SPDXRef-Image';
const OS_ID = 'SPDXRef-OperatingSystem';

/**
 * An SPDX 2.3 document of an image: the image as the described root package (purpose CONTAINER),
 * the OS and every package contained in it, OS packages containing the language packages whose
 * files they own. SPDX 2.3 has no place for vulnerabilities: this is always a pure SBOM.
 */
export function toSpdx(document: InventoryDocument, options: SpdxOptions): SpdxDocument {
  const identified = withIds(document.packages);
  const packages = identified.map(({ pkg, id }) => spdxPackage(pkg, id));
  const os = osPackage(document);
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: document.target,
    documentNamespace: options.documentNamespace ?? defaultNamespace(document, options.tool),
    creationInfo: {
      created: spdxDate(options.created ?? new Date()),
      creators: [`Tool: ${options.tool.name.toLowerCase()}-${options.tool.version}`],
    },
    packages: [imagePackage(document), ...(os ? [os] : []), ...packages],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: IMAGE_ID },
      ...[...(os ? [os] : []), ...packages].map((pkg) => contains(IMAGE_ID, pkg.SPDXID)),
      ...ownership(identified),
    ],
  };
}

export function renderSpdx(document: InventoryDocument, options: SpdxOptions): string {
  return JSON.stringify(toSpdx(document, options), null, 2) + '\n';
}

function imagePackage(document: InventoryDocument): SpdxPackage {
  return {
    SPDXID: IMAGE_ID,
    name: document.target,
    ...(document.manifestDigest && { versionInfo: document.manifestDigest }),
    ...unknownOrigin(),
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    primaryPackagePurpose: 'CONTAINER',
  };
}

function osPackage(document: InventoryDocument): SpdxPackage | null {
  if (!document.distro) return null;
  return {
    SPDXID: OS_ID,
    name: document.distro.id,
    ...(document.distro.versionId && { versionInfo: document.distro.versionId }),
    ...unknownOrigin(),
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
}

/**
 * licenseDeclared is what the package says, when it says it as SPDX; licenseConcluded stays
 * NOASSERTION because reading metadata is not the analysis a conclusion requires.
 */
function spdxPackage(pkg: DocumentPackage, id: string): SpdxPackage {
  return {
    SPDXID: id,
    name: pkg.name,
    versionInfo: pkg.version,
    ...unknownOrigin(),
    licenseConcluded: NOASSERTION,
    licenseDeclared: combinedExpression((pkg.licenses ?? []).map(readLicense)) ?? NOASSERTION,
    primaryPackagePurpose: 'LIBRARY',
    sourceInfo: `acquired package info from ${pkg.path} in layer ${pkg.layer}`,
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
    ],
  };
}

/** Customs reads installed metadata: it neither downloads packages nor looks into their files. */
function unknownOrigin(): Pick<SpdxPackage, 'downloadLocation' | 'filesAnalyzed' | 'copyrightText'> {
  return { downloadLocation: NOASSERTION, filesAnalyzed: false, copyrightText: NOASSERTION };
}

/**
 * SPDX ids allow letters, digits, `.` and `-` only: `SPDXRef-Package-npm-@babel/core-7.0.0` becomes
 * `SPDXRef-Package-npm--babel-core-7.0.0`; a number keeps ids unique when cleaning makes two equal.
 */
function withIds(packages: readonly DocumentPackage[]): Identified[] {
  const used = new Set<string>([IMAGE_ID, OS_ID]);
  return packages.map((pkg) => {
    const base = `SPDXRef-Package-${clean(pkg.type)}-${clean(pkg.name)}-${clean(pkg.version)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return { pkg, id };
  });
}

function clean(part: string): string {
  return part.replace(/[^A-Za-z0-9.-]/g, '-');
}

/** A language package whose file an OS package owns is contained in that OS package. */
function ownership(identified: readonly Identified[]): SpdxRelationship[] {
  const idByPurl = new Map(identified.map(({ pkg, id }) => [pkg.purl, id]));
  return identified.flatMap(({ pkg, id }) => {
    const ownerId = pkg.ownedBy ? idByPurl.get(pkg.ownedBy) : undefined;
    return ownerId ? [contains(ownerId, id)] : [];
  });
}

function contains(container: string, contained: string): SpdxRelationship {
  return { spdxElementId: container, relationshipType: 'CONTAINS', relatedSpdxElement: contained };
}

/** SPDX wants `YYYY-MM-DDThh:mm:ssZ`: no fractional seconds. */
function spdxDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function defaultNamespace(document: InventoryDocument, tool: ToolInfo): string {
  const base = (tool.informationUri ?? 'https://spdx.org/spdxdocs').replace(/\/+$/, '');
  const name = document.target.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${base}/${tool.name.toLowerCase()}/${name}-${randomUUID()}`;
}
