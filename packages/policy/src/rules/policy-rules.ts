import { createHash } from 'node:crypto';
import type { ImageFinding } from '@customs/model';
import type { IgnoreEntry, Policy } from '../policy.js';
import { repositoryGlob } from './repository-glob.js';

/**
 * One rule of a policy file: the repositories it is for and what it demands of their images. Fields
 * a rule leaves out come from the service configuration's `policy` (the default rule).
 */
export interface PolicyRule extends Policy {
  /** How verdicts name the rule (`default` for the configuration's policy). */
  id: string;
  /** Repository globs (`team-a/**`); the default rule has `**`. */
  repositories: string[];
  /** Label keys the image config must carry (a present key with an empty value counts as present). */
  requiredLabels: string[];
  /** An image whose config says it runs as root fails (needs the image-config scanner's findings). */
  denyRunAsRoot: boolean;
  /** An image with a secret found in a layer or in ENV fails (needs the secret scan of every layer). */
  denySecrets: boolean;
  /** CRITICAL findings only warn until their advisory is this many days old (absent: no grace). */
  maxCriticalAgeDays?: number;
}

/** An accepted risk from a policy file: an ignore entry, optionally for some repositories only. */
export interface PolicyException extends IgnoreEntry {
  /** Null: every repository. */
  repositories: string[] | null;
}

/** Every rule in order (the first that matches an image's repository decides), and a version. */
export interface PolicySet {
  /** `policy-<16 hex>`: a digest of everything that makes a verdict, so verdicts cached under another version are not reused. */
  version: string;
  /** The policy file the rules came from; null when there is none (only the default rule). */
  file: string | null;
  /** Ordered; the last is the default rule, which matches every repository. */
  rules: PolicyRule[];
  exceptions: PolicyException[];
}

/** What a rule looks at in an image, beyond its package findings. */
export interface ImageFacts {
  repository: string;
  /** The image config's labels; null when the image was indexed before Customs kept them. */
  labels: Readonly<Record<string, string>> | null;
  /** What the image-config and secret scanners found; absent: those scanners did not run. */
  imageFindings?: readonly ImageFinding[];
  /**
   * True when the secret scan of every layer is known. Absent or false (indexed without the secret
   * scanner, or before Customs kept its results): `imageFindings` may hold config findings, ENV
   * secrets included, but says nothing of the layers, so `denySecrets` cannot call them clean.
   * Only `denySecrets` reads it.
   */
  layerSecretsScanned?: boolean;
  /** When the advisory of each finding (by id) was published; absent: no finding has a known age. */
  publishedAt?: ReadonlyMap<string, Date>;
}

export const DEFAULT_RULE_ID = 'default';

/** The configuration's policy as a rule that matches every repository. */
export function defaultRule(policy: Policy): PolicyRule {
  return {
    ...policy,
    id: DEFAULT_RULE_ID,
    repositories: ['**'],
    requiredLabels: [],
    denyRunAsRoot: false,
    denySecrets: false,
  };
}

/** A policy with no file: just the default rule. */
export function policySetOf(policy: Policy): PolicySet {
  return withVersion({ file: null, rules: [defaultRule(policy)], exceptions: [] });
}

/** Stamps a set with the digest of its contents (not of its file name). */
export function withVersion(set: Omit<PolicySet, 'version'>): PolicySet {
  const digest = createHash('sha256')
    .update(JSON.stringify({ rules: set.rules, exceptions: set.exceptions }))
    .digest('hex');
  return { ...set, version: `policy-${digest.slice(0, 16)}` };
}

/** Accepts either a bare policy (one default rule) or a set, so callers that only know the configuration keep working. */
export function asPolicySet(policy: Policy | PolicySet): PolicySet {
  return 'rules' in policy ? policy : policySetOf(policy);
}

/** The rule for a repository: the first in file order whose globs match it; the default rule last. */
export function selectRule(set: PolicySet, repository: string): PolicyRule {
  const rule = set.rules.find((candidate) =>
    candidate.repositories.some((glob) => repositoryGlob(glob)(repository)),
  );
  // The default rule matches `**`, so only a hand-built set without one gets here.
  return rule ?? (set.rules[set.rules.length - 1] as PolicyRule);
}
