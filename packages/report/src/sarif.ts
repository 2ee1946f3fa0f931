import { OS_PACKAGE_TYPES, type Finding, type Severity } from '@customs/model';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { advisoryUrl } from './advisory-link.js';
import { configSarifResults, configSarifRules } from './config-findings.js';
import { sarifLevel } from './sarif-level.js';
import type { ScanDocument } from './scan-document.js';
import { secretResults, secretRules } from './sarif-secrets.js';
import type { ToolInfo } from './tool-info.js';

const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Paths in an image are relative to its root; this names that root for SARIF consumers. */
const IMAGE_ROOT = 'ROOTPATH';

/**
 * `security-severity` when a finding has no CVSS score: the middle of the band GitHub maps back to
 * the same severity (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9). An unknown severity
 * gets none rather than a made-up number.
 */
const BAND_SCORES: Record<Severity, string | null> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  NEGLIGIBLE: '0.0',
  UNKNOWN: null,
};

/**
 * SARIF 2.1.0 for code-scanning UIs: one rule per vulnerability id or config check, one result per
 * finding; then one rule per secret rule (`secret/<id>`), one result per secret.
 */
export function toSarif(document: ScanDocument, tool: ToolInfo): Log {
  const secretLevel = (finding: { severity: Severity }) => sarifLevel(finding.severity);
  const secrets = document.secrets;
  const rules = [
    ...rulesOf(document.findings),
    ...configSarifRules(document.configFindings ?? []),
    ...(secrets ? secretRules(secrets, secretLevel) : []),
  ];
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri && { informationUri: tool.informationUri }),
            rules,
          },
        },
        originalUriBaseIds: { [IMAGE_ROOT]: { uri: 'file:///' } },
        results: [
          ...document.findings.map((finding) => result(finding, ruleIndex, document)),
          ...configSarifResults(document, ruleIndex),
          ...(secrets
            ? secretResults(secrets, ruleIndex, secretLevel, (path, line) => locations(path, line, document))
            : []),
        ],
        properties: {
          target: document.target,
          manifestDigest: document.manifestDigest,
          platform: document.platform,
          vulnerabilityData: {
            lastImport: document.vulnerabilityData.lastImport,
            advisories: document.vulnerabilityData.advisories,
          },
        },
      },
    ],
  };
}

function rulesOf(findings: readonly Finding[]): ReportingDescriptor[] {
  const byId = new Map<string, Finding>();
  for (const finding of findings) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  return [...byId.values()].map(rule);
}

function rule(finding: Finding): ReportingDescriptor {
  const description = finding.summary ?? finding.id;
  const score = finding.cvss ? finding.cvss.score.toFixed(1) : BAND_SCORES[finding.severity];
  return {
    id: finding.id,
    name: OS_PACKAGE_TYPES.includes(finding.package.type)
      ? 'OsPackageVulnerability'
      : 'LanguagePackageVulnerability',
    shortDescription: { text: description },
    fullDescription: { text: description },
    defaultConfiguration: { level: sarifLevel(finding.severity) },
    helpUri: advisoryUrl(finding.id),
    help: { text: helpText(finding), markdown: helpMarkdown(finding) },
    properties: {
      ...(score !== null && { 'security-severity': score }),
      tags: ['vulnerability', 'security', finding.severity],
      precision: 'very-high',
    },
  };
}

function helpText(finding: Finding): string {
  return [
    `Vulnerability ${finding.id}${aliasNote(finding)}`,
    `Severity: ${finding.severity}${finding.cvss ? ` (CVSS ${finding.cvss.version} ${finding.cvss.score})` : ''}`,
    ...(finding.summary ? [finding.summary] : []),
    advisoryUrl(finding.id),
  ].join('\n');
}

function helpMarkdown(finding: Finding): string {
  const cvss = finding.cvss ? `${finding.cvss.score} (\`${finding.cvss.vector}\`)` : '';
  return [
    `**Vulnerability ${finding.id}**${aliasNote(finding)}`,
    '',
    '| Severity | CVSS | Summary |',
    '| --- | --- | --- |',
    `| ${finding.severity} | ${cvss} | ${tableCell(finding.summary ?? '')} |`,
    '',
    `[${finding.id}](${advisoryUrl(finding.id)})`,
  ].join('\n');
}

function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function aliasNote(finding: Finding): string {
  return finding.aliases.length ? ` (also ${finding.aliases.join(', ')})` : '';
}

function result(finding: Finding, ruleIndex: ReadonlyMap<string, number>, document: ScanDocument): Result {
  const { name, version } = finding.package;
  const fix = finding.fixedVersion ? `Fixed in ${finding.fixedVersion}.` : 'No fixed version is known.';
  return {
    ruleId: finding.id,
    ruleIndex: ruleIndex.get(finding.id) ?? -1,
    level: sarifLevel(finding.severity),
    message: {
      text: `${name} ${version} is affected by ${finding.id} (${finding.severity}). ${fix} Found in ${finding.path}, layer ${finding.layer}.`,
    },
    locations: locations(finding.path, 1, document),
  };
}

/** A path and line in the image, and the image itself as the logical location. */
function locations(path: string, line: number, document: ScanDocument): Result['locations'] {
  return [
    {
      physicalLocation: {
        artifactLocation: { uri: pathUri(path), uriBaseId: IMAGE_ROOT },
        region: { startLine: line, startColumn: 1, endLine: line, endColumn: 1 },
      },
      logicalLocations: [
        {
          name: document.target,
          fullyQualifiedName: document.manifestDigest
            ? `${document.target}@${document.manifestDigest}`
            : document.target,
          kind: 'resource',
        },
      ],
    },
  ];
}

/** A relative URI for an image path: each segment percent-encoded (`@scope`, spaces, `%`). */
function pathUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
