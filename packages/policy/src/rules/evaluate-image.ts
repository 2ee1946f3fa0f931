import { RUNS_AS_ROOT_FINDING_ID, type ImageFinding } from '@customs/model';
import { evaluatePolicy, type EvaluateOptions, type PolicyFinding } from '../evaluate-policy.js';
import {
  DEFAULT_INCOMPLETE_SCAN,
  type IgnoreEntry,
  type PolicyReason,
  type PolicyResult,
  type PolicyVerdict,
} from '../policy.js';
import { criticalGrace } from './critical-grace.js';
import { selectRule, type ImageFacts, type PolicyRule, type PolicySet } from './policy-rules.js';
import { matchesAnyRepository } from './repository-glob.js';
import { worseVerdict } from '../verdict.js';

/** The rule a verdict names: its id and the globs that selected it. */
export interface RuleRef {
  id: string;
  repositories: string[];
}

export interface ImagePolicyResult extends PolicyResult {
  rule: RuleRef;
}

/**
 * The verdict for one image under a policy set: the first rule matching its repository decides,
 * with the exceptions for that repository as ignore entries, then the rule's image checks (required
 * labels, root user, secrets). Every reason names the rule.
 */
export function evaluateImage(
  set: PolicySet,
  findings: readonly PolicyFinding[],
  facts: ImageFacts,
  options: EvaluateOptions,
): ImagePolicyResult {
  const rule = selectRule(set, facts.repository);
  const exceptions: IgnoreEntry[] = set.exceptions
    .filter(
      (entry) => entry.repositories === null || matchesAnyRepository(entry.repositories, facts.repository),
    )
    .map(({ repositories: _repositories, ...entry }) => entry);
  const policy = { ...rule, ignore: [...rule.ignore, ...exceptions] };
  const grace = criticalGrace(
    findings,
    rule.maxCriticalAgeDays,
    facts.publishedAt,
    policy.ignore,
    options.now,
  );
  const result = evaluatePolicy(grace.counted, policy, options);
  const checks = imageChecks(rule, facts);
  if (grace.reason !== null) {
    checks.push({ verdict: 'warn', reason: grace.reason });
    result.counts.CRITICAL += grace.reason.count;
  }
  const validUntil = earliest(result.validUntil, grace.endsAt);
  const verdict = checks.reduce((worst, check) => worseVerdict(worst, check.verdict), result.verdict);
  const extra = checks.map((check) => check.reason);
  const reasons = verdict === result.verdict ? [...result.reasons, ...extra] : [...extra, ...result.reasons];
  return {
    ...result,
    verdict,
    validUntil,
    reasons: reasons.map((reason) => ({ ...reason, rule: rule.id })),
    rule: { id: rule.id, repositories: rule.repositories },
  };
}

interface Check {
  verdict: PolicyVerdict;
  reason: PolicyReason;
}

function imageChecks(rule: PolicyRule, facts: ImageFacts): Check[] {
  const unseen = rule.incompleteScan ?? DEFAULT_INCOMPLETE_SCAN;
  return [
    ...labelChecks(rule, facts, unseen),
    ...findingChecks(rule.denyRunAsRoot, 'RUNS_AS_ROOT', facts.imageFindings, isRootUser, unseen),
    ...findingChecks(rule.denySecrets, 'SECRET_FOUND', facts.imageFindings, isSecret, unseen),
    ...layerSecretChecks(rule.denySecrets, facts, unseen),
  ];
}

/**
 * denySecrets over an image whose layers were not all scanned for secrets: at best `unseen`. A secret
 * found elsewhere (ENV, a build argument) still fails through findingChecks; this only keeps the
 * layers from being taken as clean. No findings at all is already one SCAN_INCOMPLETE there.
 */
function layerSecretChecks(enabled: boolean, facts: ImageFacts, unseen: PolicyVerdict): Check[] {
  if (!enabled || facts.imageFindings === undefined || facts.layerSecretsScanned === true) return [];
  const message =
    'denySecrets needs the secret scan of every layer, and this image was indexed without it; scan it again';
  return [{ verdict: unseen, reason: reason('SCAN_INCOMPLETE', message, 1) }];
}

function labelChecks(rule: PolicyRule, facts: ImageFacts, unseen: PolicyVerdict): Check[] {
  if (rule.requiredLabels.length === 0) return [];
  if (facts.labels === null) {
    const message = `rule ${rule.id} requires labels (${rule.requiredLabels.join(', ')}), but this image was indexed before Customs kept labels; scan it again`;
    return [{ verdict: unseen, reason: reason('SCAN_INCOMPLETE', message, 1) }];
  }
  const labels = facts.labels;
  const missing = rule.requiredLabels.filter((key) => !Object.hasOwn(labels, key));
  if (missing.length === 0) return [];
  const message = `missing required label${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (rule ${rule.id})`;
  return [{ verdict: 'fail', reason: reason('LABEL_MISSING', message, missing.length) }];
}

function findingChecks(
  enabled: boolean,
  code: 'RUNS_AS_ROOT' | 'SECRET_FOUND',
  found: readonly ImageFinding[] | undefined,
  denied: (finding: ImageFinding) => boolean,
  unseen: PolicyVerdict,
): Check[] {
  if (!enabled) return [];
  const key = code === 'RUNS_AS_ROOT' ? 'denyRunAsRoot' : 'denySecrets';
  if (found === undefined) {
    const scanner = code === 'RUNS_AS_ROOT' ? 'image-config' : 'secret';
    const message = `${key} needs the ${scanner} scanner, which did not run for this image`;
    return [{ verdict: unseen, reason: reason('SCAN_INCOMPLETE', message, 1) }];
  }
  const hits = found.filter(denied);
  if (hits.length === 0) return [];
  const titles = hits.slice(0, 3).map((hit) => hit.title);
  const message = `${hits.length} ${code === 'RUNS_AS_ROOT' ? 'root user finding' : 'secret'}${hits.length === 1 ? '' : 's'} (${key}): ${titles.join('; ')}${hits.length > 3 ? '; …' : ''}`;
  return [{ verdict: 'fail', reason: reason(code, message, hits.length) }];
}

const isRootUser = (finding: ImageFinding) =>
  finding.kind === 'config' && finding.id === RUNS_AS_ROOT_FINDING_ID;
const isSecret = (finding: ImageFinding) => finding.kind === 'secret';

function reason(code: PolicyReason['code'], message: string, count: number): PolicyReason {
  return { code, message, severity: null, count, findings: [] };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null || b === null) return a ?? b;
  return a.getTime() <= b.getTime() ? a : b;
}
