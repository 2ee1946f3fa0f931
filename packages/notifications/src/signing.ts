import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Customs-Signature';
export const EVENT_ID_HEADER = 'Customs-Event-Id';
/** How old (or how far ahead) a signed timestamp may be before a receiver should refuse it. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the header value for `body` sent now. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

export interface VerifyOptions {
  secret: string;
  /** The raw request body, exactly as received. */
  body: string;
  /** The Customs-Signature header. */
  header: string | undefined;
  /** Default: the clock now. */
  nowSeconds?: number;
  replayWindowSeconds?: number;
}

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * What a receiver does with a delivery: the signature must be the HMAC of the timestamp and the
 * body, and the timestamp within the replay window, so a captured request cannot be sent again later.
 */
export function verifySignature(options: VerifyOptions): Verification {
  const match = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(options.header ?? '');
  if (!match) return { ok: false, reason: `no ${SIGNATURE_HEADER} header of the form t=…,v1=…` };
  const timestamp = Number(match[1]);
  const given = Buffer.from(match[2] ?? '', 'hex');
  const expected = Buffer.from(hmacHex(options.secret, `${timestamp}.${options.body}`), 'hex');
  if (!timingSafeEqual(given, expected)) return { ok: false, reason: 'the signature does not match' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const window = options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
  if (Math.abs(now - timestamp) > window) {
    return { ok: false, reason: `the timestamp is more than ${window} s away from now` };
  }
  return { ok: true, timestamp };
}

function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}
