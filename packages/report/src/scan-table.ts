import { SEVERITIES } from '@customs/model';
import { isVexSuppressed, type FindingVex } from './finding-vex.js';
import { renderConfigSection } from './config-findings.js';
import { incompleteBanner } from './incomplete-banner.js';
import type { ScanDocument } from './scan-document.js';
import { renderSecretsTable } from './secrets-section.js';
import { renderTable } from './table.js';

const TITLE_WIDTH = 60;

/**
 * `customs scan --format table` for one image, like `trivy image`: a heading, the count per
 * severity, one row per finding, then what was not matched upstream and why.
 */
export function renderScanTable(document: ScanDocument): string {
  const sections = [
    incompleteBanner(document),
    heading(document),
    findingsTable(document),
    renderConfigSection(document),
    document.secrets ? renderSecretsTable(document.secrets) : '',
    covered(document),
    warnings(document),
  ];
  return sections.filter((section) => section !== '').join('\n');
}

function heading(document: ScanDocument): string {
  const distro = document.distro
    ? `${document.distro.id} ${document.distro.versionId ?? ''}`.trim()
    : 'unknown';
  const data = document.vulnerabilityData;
  const lines = [
    `${document.target}${document.platform ? ` (${document.platform})` : ''}`,
    `distro: ${distro}`,
    data.lastImport === null
      ? 'vulnerability data: never imported'
      : `vulnerability data: ${data.advisories} advisories, last import ${data.lastImport}`,
    `Total: ${document.findings.length} (${severityCounts(document)})`,
    ...vexLine(document),
  ];
  return lines.join('\n') + '\n';
}

function severityCounts(document: ScanDocument): string {
  return SEVERITIES.map(
    (severity) =>
      `${severity}: ${document.findings.filter((finding) => finding.severity === severity).length}`,
  ).join(', ');
}

function findingsTable(document: ScanDocument): string {
  if (document.findings.length === 0) return 'no vulnerabilities found\n';
  const withVex = document.findings.some((finding) => finding.vex !== undefined);
  const rows = document.findings.map((finding) => [
    finding.package.name,
    finding.id,
    finding.severity,
    finding.package.version,
    finding.fixedVersion ?? '',
    ...(withVex ? [vexCell(finding.vex)] : []),
    shorten(finding.summary ?? ''),
  ]);
  const vexHeader = withVex ? ['VEX'] : [];
  return renderTable(
    ['PACKAGE', 'VULNERABILITY', 'SEVERITY', 'INSTALLED', 'FIXED', ...vexHeader, 'TITLE'],
    rows,
  );
}

/** The VEX column: the status, and for not_affected why. */
function vexCell(vex: FindingVex | undefined): string {
  if (vex === undefined) return '';
  const why = vex.justification ?? vex.impactStatement;
  return why && vex.status === 'not_affected' ? `${vex.status} (${shorten(why)})` : vex.status;
}

function vexLine(document: ScanDocument): string[] {
  const suppressed = document.findings.filter((finding) => isVexSuppressed(finding.vex));
  if (suppressed.length === 0) return [];
  const authors = [...new Set(suppressed.map((finding) => finding.vex?.author))].join(', ');
  return [
    `VEX: ${suppressed.length} of them not_affected or fixed, shown but not counted (statements by ${authors})`,
  ];
}

function covered(document: ScanDocument): string {
  if (document.coveredByOsPackages.length === 0) return '';
  const lines = document.coveredByOsPackages.map(
    ({ package: pkg, ownedBy }) => `  ${pkg.type} ${pkg.name} ${pkg.version}, owned by ${ownedBy}`,
  );
  return (
    `language packages owned by OS packages (${lines.length}): their fixes come with the distribution, ` +
    'so they were not matched against upstream advisories\n' +
    lines.join('\n') +
    '\n'
  );
}

function warnings(document: ScanDocument): string {
  const lines = [
    ...(document.vulnerabilityData.lastImport === null
      ? ['no vulnerability data was imported: nothing was checked (run `customs db import`)']
      : []),
    ...document.unmatched.map(
      ({ package: pkg, reason }) => `not judged: ${pkg.type} ${pkg.name} ${pkg.version}: ${reason}`,
    ),
    ...document.warnings,
  ];
  return lines.map((line) => `warning: ${line}\n`).join('');
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_WIDTH ? `${line.slice(0, TITLE_WIDTH - 1)}…` : line;
}
