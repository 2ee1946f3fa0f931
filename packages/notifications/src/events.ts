import type { Schemas } from './contract-types.js';

export const EVENT_TYPES = ['verdict.changed', 'scan.failed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type VerdictState = Schemas['VerdictState'];
export type VerdictReason = Schemas['VerdictReason'];

/** A verdict that changed (what the updater's re-judging reports through onVerdictChange). */
export interface VerdictChangedEvent {
  type: 'verdict.changed';
  digest: string;
  repository: string;
  /** Null when no verdict was recorded for the image before. */
  oldVerdict: VerdictState | null;
  newVerdict: VerdictState;
  reasons: readonly VerdictReason[];
  /** The vulnerability-data version the new verdict was computed with. */
  dataVersion: string | null;
  policyId: string;
  at: Date;
}

/** A scan that will not be tried again. */
export interface ScanFailedEvent {
  type: 'scan.failed';
  digest: string;
  repository: string;
  scanId: string;
  error: { code: Schemas['ErrorCode']; message: string };
  at: Date;
}

export type NotificationEvent = VerdictChangedEvent | ScanFailedEvent;

/** An event as recorded, sent and listed: the contract's `Event`. */
export type EventDocument = Schemas['Event'];

/** The `data` of an event's document: everything but its type, digest order kept stable. */
export function eventData(event: NotificationEvent): EventDocument['data'] {
  if (event.type === 'verdict.changed') {
    return {
      digest: event.digest,
      repository: event.repository,
      oldVerdict: event.oldVerdict,
      newVerdict: event.newVerdict,
      reasons: [...event.reasons],
      dataVersion: event.dataVersion,
      policyId: event.policyId,
    };
  }
  return {
    digest: event.digest,
    repository: event.repository,
    scanId: event.scanId,
    error: { code: event.error.code, message: event.error.message },
  };
}
