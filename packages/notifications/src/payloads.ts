import type { Schemas } from './contract-types.js';
import type { EventDocument } from './events.js';
import { worstSeverity } from './filters.js';
import type { SubscriptionFormat } from './subscription-store.js';

export type SlackMessage = Schemas['SlackMessage'];

/** The body a subscription receives: the event document itself, or a Slack message about it. */
export function renderBody(format: SubscriptionFormat, event: EventDocument): string {
  return JSON.stringify(format === 'slack' ? slackMessage(event) : event);
}

/** One line of text (what notifications show) and the same in a section block. */
export function slackMessage(event: EventDocument): SlackMessage {
  const text = summaryOf(event);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function summaryOf(event: EventDocument): string {
  const image = `${event.data.repository}@${event.data.digest}`;
  if (event.type === 'scan.failed') {
    return `Scan of ${image} failed for good: ${event.data.error.code}: ${event.data.error.message}`;
  }
  const { oldVerdict, newVerdict, reasons } = event.data;
  const worst = worstSeverity(reasons);
  const counted = reasons.filter((reason) => reason.count > 0).map((reason) => reason.message);
  return [
    `Verdict of ${image} changed: ${oldVerdict ?? 'none'} → ${newVerdict}`,
    worst ? ` (worst finding: ${worst})` : '',
    counted.length > 0 ? `. ${counted.join('; ')}` : '',
  ].join('');
}
