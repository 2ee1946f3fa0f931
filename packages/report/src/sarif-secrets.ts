import type { ImageSecretFinding } from '@customs/model';
import type { ReportingDescriptor, Result } from 'sarif';
import type { SecretsSection } from './secrets-section.js';
import { removalNote } from './secrets-section.js';

/** Secret rule ids are namespaced so they can never collide with a vulnerability id. */
const RULE_PREFIX = 'secret/';

/** One SARIF rule per secret rule that found something, in order of first appearance. */
export function secretRules(
  section: SecretsSection,
  level: (finding: ImageSecretFinding) => Result.level,
): ReportingDescriptor[] {
  const byRule = new Map<string, ImageSecretFinding>();
  for (const finding of section.findings)
    if (!byRule.has(finding.ruleId)) byRule.set(finding.ruleId, finding);
  return [...byRule.values()].map((finding) => ({
    id: `${RULE_PREFIX}${finding.ruleId}`,
    name: 'SecretInImageLayer',
    shortDescription: { text: finding.title },
    fullDescription: {
      text: `${finding.title} stored in a file of an image layer. Anyone who can pull the image can read it, even when a later layer deletes the file.`,
    },
    defaultConfiguration: { level: level(finding) },
    help: {
      text: 'Revoke the credential, then rebuild without it: pass secrets at run time or with build secrets (docker build --secret), never in a layer.',
    },
    properties: { tags: ['secret', 'security', finding.severity], precision: 'high' },
  }));
}

/** One result per secret: its path and line in the image, its layer in properties, the match redacted. */
export function secretResults(
  section: SecretsSection,
  ruleIndex: ReadonlyMap<string, number>,
  level: (finding: ImageSecretFinding) => Result.level,
  location: (path: string, line: number) => Result['locations'],
): Result[] {
  return section.findings.map((finding) => {
    const id = `${RULE_PREFIX}${finding.ruleId}`;
    const note = removalNote(finding);
    return {
      ruleId: id,
      ruleIndex: ruleIndex.get(id) ?? -1,
      level: level(finding),
      message: {
        text: `${finding.title} (${finding.match}) in ${finding.path}:${finding.line}, layer ${finding.layerIndex} (${finding.layerDigest})${note ? `; ${note}` : ''}.`,
      },
      locations: location(finding.path, finding.line),
      properties: {
        layerIndex: finding.layerIndex,
        layerDigest: finding.layerDigest,
        removedInLayer: finding.removedInLayer,
        match: finding.match,
      },
    };
  });
}
