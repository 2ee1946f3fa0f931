import { readFile } from 'node:fs/promises';
import { loadServiceConfig } from '@customs/config';
import type { Finding } from '@customs/model';
import { parseImageReference } from '@customs/oci';
import { evaluateImage, readPolicyFile, type ImagePolicyResult, type PolicySet } from '@customs/policy';
import type { IndexedImage } from '@customs/indexer';
import type { CliIO } from '../io.js';

/**
 * `--policy FILE`: the policy file the service reads (same schema, same evaluation), with the
 * service configuration's policy (CUSTOMS_CONFIG, else its defaults) as the default rule.
 */
export async function readScanPolicy(file: string, io: CliIO): Promise<PolicySet> {
  const { file: _configured, ...defaults } = loadServiceConfig({ env: io.env }).policy;
  return readPolicyFile(await readFile(file, 'utf8'), file, defaults);
}

/** The verdict for one scanned image; a registry reference's repository picks the rule. */
export function judgeScanned(
  policy: PolicySet,
  target: string,
  image: IndexedImage & { labels: Record<string, string> | null },
  findings: readonly Finding[],
): ImagePolicyResult {
  const facts = { repository: repositoryOf(target), labels: image.labels };
  return evaluateImage(policy, findings, facts, { now: new Date(), incomplete: image.incomplete });
}

/** One stderr line: the verdict, the rule and policy version that decided it, and every reason. */
export function verdictLine(target: string, policy: PolicySet, result: ImagePolicyResult): string {
  const reasons = result.reasons.map((reason) => reason.message).join('; ');
  return `policy: ${result.verdict} for ${target} (rule ${result.rule.id}, ${policy.version}): ${reasons}\n`;
}

/** Only a registry reference names a repository; a local layout, archive or directory matches `**` rules. */
function repositoryOf(target: string): string {
  try {
    return parseImageReference(target).repository;
  } catch {
    return '';
  }
}
