/** What a VEX statement says about a finding, as a scan document shows it. */
export interface FindingVex {
  status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  justification: string | null;
  impactStatement: string | null;
  author: string;
  /** The VEX document's `@id`. */
  document: string;
}

/** not_affected and fixed take a finding out of what counts (--exit-code, verdicts); it stays listed. */
export function isVexSuppressed(vex: FindingVex | undefined): boolean {
  return vex?.status === 'not_affected' || vex?.status === 'fixed';
}
