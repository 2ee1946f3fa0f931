import type { Severity } from './severity.js';

/**
 * One problem in an image's configuration or build history (runs as root, a secret in ENV, ...).
 * `detail` never holds a secret: values that look like one are redacted before a finding is made.
 */
export interface ConfigFinding {
  /** The check that found it: `CFG001`…; stable, so policies and SARIF rules can name it. */
  id: string;
  severity: Severity;
  title: string;
  /** What exactly was found, secrets redacted. */
  detail: string;
  remediation: string;
  /** Where in the config blob: `config.User`, `config.Env[2]`, `history[4].created_by`. */
  location: string;
}
