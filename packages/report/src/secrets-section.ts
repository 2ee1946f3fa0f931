import {
  SEVERITIES,
  severityRank,
  type ImageSecretFinding,
  type ImageSecrets,
  type SecretSkips,
} from '@customs/model';
import { renderTable } from './table.js';

/**
 * The `secrets` section of the JSON documents: every credential found in any layer, most severe first,
 * each with its redacted match only. `removedInLayer` is set when a later layer deletes or overwrites
 * the file: gone from the final image, still extractable from layer `layerIndex`.
 */
export interface SecretsSection {
  findings: ImageSecretFinding[];
  scannedFiles: number;
  skipped: SecretSkips;
}

export function toSecretsSection(secrets: ImageSecrets): SecretsSection {
  const findings = [...secrets.findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.layerIndex - b.layerIndex ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line),
  );
  return {
    // Field by field: the documented order, and nothing of the scanner's state leaks in.
    findings: findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      title: finding.title,
      path: finding.path,
      line: finding.line,
      match: finding.match,
      layerIndex: finding.layerIndex,
      layerDigest: finding.layerDigest,
      removedInLayer: finding.removedInLayer,
    })),
    scannedFiles: secrets.scannedFiles,
    skipped: { ...secrets.skipped },
  };
}

/** `removed in layer 3 (still extractable from layer 1)`, or '' for a secret the final image shows. */
export function removalNote(finding: ImageSecretFinding): string {
  return finding.removedInLayer === null
    ? ''
    : `removed in layer ${finding.removedInLayer} (still extractable from layer ${finding.layerIndex})`;
}

/** The table's secrets section: counts, what was not read, one row per secret. */
export function renderSecretsTable(section: SecretsSection): string {
  const { binary, tooLarge, skippedPath } = section.skipped;
  const counts = SEVERITIES.filter((severity) => severity !== 'UNKNOWN')
    .map((severity) => `${severity}: ${section.findings.filter((f) => f.severity === severity).length}`)
    .join(', ');
  const heading =
    `Secrets: ${section.findings.length} (${counts})\n` +
    `read ${section.scannedFiles} files; not read: ${binary} binary, ${tooLarge} too large, ${skippedPath} skipped paths\n`;
  if (section.findings.length === 0) return `${heading}no secrets found\n`;
  const rows = section.findings.map((finding) => [
    finding.severity,
    finding.ruleId,
    `${finding.path}:${finding.line}`,
    String(finding.layerIndex),
    finding.match,
    removalNote(finding),
  ]);
  return `${heading}\n${renderTable(['SEVERITY', 'RULE', 'PATH:LINE', 'LAYER', 'MATCH', 'NOTE'], rows)}`;
}
