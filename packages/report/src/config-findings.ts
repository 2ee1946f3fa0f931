import { severityRank, type ConfigFinding } from '@customs/model';
import type { ReportingDescriptor, Result } from 'sarif';
import { sarifLevel } from './sarif-level.js';
import type { ScanDocument } from './scan-document.js';
import { renderTable } from './table.js';

/** The scan document with the image configuration findings (`customs scan` with the config scanner). */
export function withConfigFindings(document: ScanDocument, findings: readonly ConfigFinding[]): ScanDocument {
  const sorted = [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.id.localeCompare(b.id) ||
      a.location.localeCompare(b.location),
  );
  return { ...document, configFindings: sorted.map((finding) => ({ ...finding })) };
}

/** The table section: nothing when the config scanner did not run. */
export function renderConfigSection(document: ScanDocument): string {
  const findings = document.configFindings;
  if (findings === undefined) return '';
  if (findings.length === 0) return 'image configuration: no findings\n';
  const rows = findings.map((finding) => [
    finding.id,
    finding.severity,
    finding.title,
    finding.location,
    finding.detail,
  ]);
  return (
    `image configuration: ${findings.length} finding${findings.length === 1 ? '' : 's'}\n` +
    renderTable(['CHECK', 'SEVERITY', 'TITLE', 'WHERE', 'DETAIL'], rows)
  );
}

/** One SARIF rule per check that fired, with its remediation as help. */
export function configSarifRules(findings: readonly ConfigFinding[]): ReportingDescriptor[] {
  const byId = new Map<string, ConfigFinding>();
  for (const finding of findings) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  return [...byId.values()].map((finding) => ({
    id: finding.id,
    name: 'ImageConfiguration',
    shortDescription: { text: finding.title },
    fullDescription: { text: finding.title },
    defaultConfiguration: { level: sarifLevel(finding.severity) },
    help: { text: finding.remediation, markdown: finding.remediation },
    properties: { tags: ['configuration', 'security', finding.severity], precision: 'high' },
  }));
}

/**
 * One SARIF result per config finding. The config blob is no file a code-scanning UI can open, so
 * the physical location is the image itself (as Trivy does for image findings) and the logical one
 * the config field or history entry.
 */
export function configSarifResults(document: ScanDocument, ruleIndex: ReadonlyMap<string, number>): Result[] {
  const image = document.manifestDigest ? `${document.target}@${document.manifestDigest}` : document.target;
  return (document.configFindings ?? []).map((finding) => ({
    ruleId: finding.id,
    ruleIndex: ruleIndex.get(finding.id) ?? -1,
    level: sarifLevel(finding.severity),
    message: { text: `${finding.title}: ${finding.detail} (${finding.location}). ${finding.remediation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURIComponent(document.target) },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
        logicalLocations: [
          { name: finding.location, fullyQualifiedName: `${image}#${finding.location}`, kind: 'member' },
        ],
      },
    ],
  }));
}

/** CycloneDX has no misconfiguration type: each finding is an image property, `customs:config:<id>`. */
export function configProperties(document: ScanDocument): Array<[string, string]> {
  return (document.configFindings ?? []).map((finding) => [
    `config:${finding.id}`,
    `${finding.severity} ${finding.location}: ${finding.detail}`,
  ]);
}
