import { errorDocument } from '@customs/errors';
import type { Request, Response } from 'express';
import { handleDelivery, type PipelineDeps } from '../delivery/handle-delivery.js';
import { recordDelivery, type DeliveryResponse } from '../delivery/outcomes.js';
import type { RefusalGate } from '../delivery/refusal-gate.js';
import { refuse } from '../delivery/refuse.js';
import type { ActiveReceiver, IncomingDelivery, Receiver } from '../receivers/receiver.js';
import { readBody, type BodyRead } from './read-body.js';

export interface ServeDeps extends PipelineDeps {
  gate: RefusalGate;
}

const NO_BODY = Buffer.alloc(0);

/**
 * One POST to a receiver's route. A sender that authenticates by headers (or the URL path) is checked
 * before a byte of the body is read, and its body is then read up to the hard cap
 * (`webhook.bodyLimitBytes`); a signing sender's body is read first, up to
 * `webhook.signedBodyLimitBytes`, and its signature checked over it.
 */
export async function serveDelivery(
  deps: ServeDeps,
  receiver: Receiver,
  active: ActiveReceiver,
  request: Request,
  response: Response,
): Promise<void> {
  const source = receiver.source;
  const remoteAddress = request.socket.remoteAddress ?? null;
  const headersOnly: IncomingDelivery = {
    headers: request.headers,
    params: singleParams(request.params),
    rawBody: NO_BODY,
  };
  const claimed = Number(request.headers['content-length']);
  const refused = (reason: string, bytes: number | null) =>
    refuse(deps, { source, reason, kind: 'unauthenticated', headers: request.headers, remoteAddress, bytes });

  if (active.authenticatesBy === 'headers') {
    const auth = active.authenticate(headersOnly);
    // The body is left unread; the connection is closed after the answer so it is not read either.
    if (!auth.ok)
      return send(response, await refused(auth.reason, Number.isFinite(claimed) ? claimed : null), true);
    const read = await readBody(request, deps.config.webhook.bodyLimitBytes);
    if (!read.ok) return send(response, await unreadable(deps, source, read), true);
    return send(
      response,
      await handleDelivery(deps, {
        source,
        receiver: active,
        delivery: { ...headersOnly, rawBody: read.body },
      }),
    );
  }
  const limit = deps.config.webhook.signedBodyLimitBytes;
  const read = await readBody(request, limit);
  if (!read.ok) {
    if (read.problem === 'aborted') return;
    // Not authenticated yet: answered as any stranger's request would be.
    const reason =
      read.problem === 'too-large'
        ? `the body is larger than ${limit} bytes (webhook.signedBodyLimitBytes)`
        : `the body cannot be read: ${read.message}`;
    const answer =
      read.problem === 'too-large'
        ? {
            status: 413,
            body: errorDocument(
              'REQUEST_INVALID',
              reason,
              'raise webhook.signedBodyLimitBytes if the sender is right to send this much',
            ),
          }
        : { status: 400, body: errorDocument('REQUEST_INVALID', reason) };
    const kind = read.problem === 'too-large' ? 'body_too_large' : 'body_unreadable';
    return send(
      response,
      await refuse(deps, {
        source,
        reason,
        kind,
        headers: request.headers,
        remoteAddress,
        bytes: null,
        answer,
      }),
      true,
    );
  }
  const delivery = { ...headersOnly, rawBody: read.body };
  const auth = active.authenticate(delivery);
  if (!auth.ok) return send(response, await refused(auth.reason, read.body.length));
  return send(response, await handleDelivery(deps, { source, receiver: active, delivery }));
}

/**
 * An authenticated body we could not read. Over the hard cap it can never succeed, so it is
 * acknowledged (Distribution would otherwise re-send it forever, holding the registry's later events
 * behind it) and recorded; a body that is not what its Content-Encoding says is a 400.
 */
async function unreadable(
  deps: ServeDeps,
  source: Receiver['source'],
  read: Exclude<BodyRead, { ok: true }>,
): Promise<DeliveryResponse | null> {
  if (read.problem === 'aborted') return null;
  if (read.problem === 'too-large') {
    const reason = `the body is larger than ${read.limit} bytes (webhook.bodyLimitBytes): not read, nothing scanned`;
    deps.logger.error({ source, limit: read.limit }, 'webhook body over the hard cap');
    await recordDelivery(deps, { source, outcome: 'invalid', reason }, 'body_too_large');
    return {
      status: 200,
      body: { enqueued: 0, duplicates: 0, ignored: 0, invalid: 1, scans: [], problem: reason },
    };
  }
  const reason = `the body cannot be read: ${read.message}`;
  await recordDelivery(deps, { source, outcome: 'invalid', reason }, 'body_unreadable');
  return { status: 400, body: errorDocument('REQUEST_INVALID', reason) };
}

/** Answers, unless the sender is gone; `close` ends the connection, leaving an unread body unread. */
function send(response: Response, answer: DeliveryResponse | null, close = false): void {
  if (answer === null || response.headersSent) return;
  if (close) response.setHeader('connection', 'close');
  if (answer.status === 429) response.setHeader('retry-after', '60');
  response.status(answer.status).json(answer.body);
}

/** Route params as single strings (express 5 gives arrays for wildcards, which no route here has). */
function singleParams(params: Request['params']): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]),
  );
}
