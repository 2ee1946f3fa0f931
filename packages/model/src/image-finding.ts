import type { Severity } from './severity.js';

/**
 * What an image scanner that is not about packages found: `config` for the image configuration (it
 * runs as root, …), `secret` for a credential in a layer or in ENV. Scanners produce these; the
 * policy's `denyRunAsRoot` / `denySecrets` judge them. `id` is the check's stable name
 * (`config:runs-as-root`, `secret:aws-access-key`, …) and says which rule of the scanner fired.
 */
export interface ImageFinding {
  kind: 'config' | 'secret';
  id: string;
  severity: Severity;
  /** One line a person reads: what was found and where (never the secret itself). */
  title: string;
}

/** The id of the `config` finding for an image whose user is root (policy `denyRunAsRoot` looks for it). */
export const RUNS_AS_ROOT_FINDING_ID = 'runs-as-root';
