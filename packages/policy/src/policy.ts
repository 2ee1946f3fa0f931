import { RATED_SEVERITIES, type Severity, type SeverityCounts } from '@customs/model';
import type { ConfigPolicy } from './config-policy.js';
import type { SecretsRule } from './secrets-policy.js';
import type { FindingRef, PolicyReason, PolicyVerdict } from './verdict.js';

// The verdict vocabulary has its own file, which the config and secrets policies use too.
export type { FindingRef, PolicyReason, PolicyVerdict } from './verdict.js';

/** One accepted risk: a vulnerability that does not count until `expires`. */
export interface IgnoreEntry {
  /** The advisory id or any of its aliases (CVE, GHSA, GO-…, …). */
  id: string;
  /** Why the risk is accepted: shown with every verdict it changes. */
  reason: string;
  /**
   * `YYYY-MM-DD` (the entry applies through that whole day, UTC) or an ISO date-time (it applies
   * until that instant). After it the finding counts again.
   */
  expires: string;
  /** Only for this package name (any ecosystem), when given. */
  package?: string;
}

/**
 * What a finding without a severity (UNKNOWN) counts as against failOn and warnOn: a rated severity,
 * or `ignore` to leave such findings out of both. Go standard-library advisories carry no rating, so
 * `ignore` lets a vulnerable Go toolchain pass a `failOn: HIGH` policy.
 */
export const UNKNOWN_SEVERITY_RULES = [...RATED_SEVERITIES, 'ignore'] as const;
export type UnknownSeverityRule = (typeof UNKNOWN_SEVERITY_RULES)[number];

/** Unrated is not harmless: by default an UNKNOWN finding counts as HIGH. */
export const DEFAULT_UNKNOWN_SEVERITY: UnknownSeverityRule = 'HIGH';

/**
 * What a scan that could not read everything it needed (a package database skipped for size, a
 * lockfile that does not parse, OS packages of no known distribution) is at best: `error` blocks the
 * image like a failed scan, `warn` lets it through with a warning. Never a pass: a padded database
 * would otherwise hide every package in it.
 */
export const INCOMPLETE_SCAN_RULES = ['error', 'warn'] as const;
export type IncompleteScanRule = (typeof INCOMPLETE_SCAN_RULES)[number];
export const DEFAULT_INCOMPLETE_SCAN: IncompleteScanRule = 'error';

/** Something a scan needed and could not read (the inventory's IncompleteRecord fits). */
export interface IncompleteScanRecord {
  /** The layer holding it; null for the image as a whole. */
  layer: string | null;
  path: string | null;
  code: string;
  /** One line naming the file and why it was not read. */
  reason: string;
}

/** What makes a verdict; the service configuration's `policy` section has this shape. */
export interface Policy {
  /** Any counted finding at or above this severity makes the verdict `fail`. */
  failOn: Severity;
  /** Any counted finding at or above this (and below failOn) makes it `warn`; null: never warn. */
  warnOn: Severity | null;
  /** Only findings with a known fixed version count. */
  fixableOnly: boolean;
  /** What UNKNOWN findings count as against the thresholds; absent: DEFAULT_UNKNOWN_SEVERITY. */
  unknownSeverity?: UnknownSeverityRule;
  /** What an incomplete scan is at best; absent: DEFAULT_INCOMPLETE_SCAN. */
  incompleteScan?: IncompleteScanRule;
  /** How image configuration findings count; absent: DEFAULT_CONFIG_POLICY (reported, not counted). */
  config?: ConfigPolicy;
  /** What secrets in the layers make the verdict; absent: DEFAULT_SECRETS_RULE (fail). */
  secrets?: SecretsRule;
  ignore: readonly IgnoreEntry[];
}

/** A finding an ignore entry kept from counting. */
export interface IgnoredFinding extends FindingRef {
  /** The entry's id (the alias it matched by may differ from the finding's id). */
  entry: string;
  reason: string;
  expires: string;
}

/** An ignore entry that would have matched a finding but has expired, so the finding counts again. */
export interface ExpiredIgnore {
  entry: string;
  expires: string;
  findings: FindingRef[];
}

export interface PolicyResult {
  verdict: PolicyVerdict;
  reasons: PolicyReason[];
  /** Counted findings (after ignore entries and fixable-only) per severity. */
  counts: SeverityCounts;
  ignored: IgnoredFinding[];
  expiredIgnores: ExpiredIgnore[];
  /** Findings left out because no fix is known (fixableOnly). */
  notFixable: number;
  /**
   * When this result stops being right without any other change: the earliest expiry of an ignore
   * entry that kept a finding from counting. Null when no entry did.
   */
  validUntil: Date | null;
}

/** How many findings a reason lists; the rest are in the report. */
export const MAX_LISTED_FINDINGS = 25;
