import type { Severity } from '@customs/model';
import type { ImageConfig } from '@customs/oci';

/** One place a check found its problem, with what it saw (secrets already redacted). */
export interface CheckHit {
  detail: string;
  location: string;
}

/** A check on the config blob: what it looks for and what to do, then the hits on one config. */
export interface ConfigCheck {
  id: string;
  severity: Severity;
  title: string;
  remediation: string;
  run(config: ImageConfig): CheckHit[];
}
