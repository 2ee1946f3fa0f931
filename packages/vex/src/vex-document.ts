export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

/** The statuses that take a finding out of what a verdict counts. */
export const SUPPRESSING_STATUSES: readonly VexStatus[] = ['not_affected', 'fixed'];

/** A product or subcomponent: every identifier it was given (`@id`, `identifiers.purl`). */
export type VexComponentIds = string[];

export interface VexProduct {
  ids: VexComponentIds;
  /** Empty: the statement is about the whole product. */
  subcomponents: VexComponentIds[];
}

/** One statement, with what it inherits from its document filled in. */
export interface VexStatement {
  /** The document's `@id`. */
  document: string;
  author: string;
  /** The vulnerability's name, then its aliases. */
  vulnerability: string[];
  products: VexProduct[];
  status: VexStatus;
  justification: string | null;
  impactStatement: string | null;
  actionStatement: string | null;
  statusNotes: string | null;
  /** When it was last known true: its own last_updated or timestamp, else the document's. */
  timestamp: Date;
}

export interface VexDocument {
  id: string;
  author: string;
  timestamp: Date;
  statements: VexStatement[];
}
