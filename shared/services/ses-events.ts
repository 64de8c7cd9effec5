import type { SNSEvent } from 'aws-lambda';
import { logger } from '../log';
import { markUndeliverable, type UndeliverableEvent } from '../data/deliverability';

/**
 * SES's bounce and complaint events (issue 16 part 5), as the configuration set's event
 * destination publishes them to SNS: each SNS record's `Message` is the SES notification JSON.
 * Event publishing names the kind `eventType`; the identity's own notifications (the older
 * feedback forwarding) name it `notificationType` — both are read, the rest is the same shape.
 *
 * - `Bounce` with `bounce.bounceType` `Permanent` → each bounced recipient is undeliverable;
 *   `Transient` (mailbox full, auto-reply, …) and `Undetermined` change nothing: SES already
 *   retried, and the next mail may well arrive.
 * - `Complaint` → each complained recipient is undeliverable: they told their provider the mail
 *   is unwanted, and mailing them again harms every recipient's delivery.
 * - anything else (`Delivery`, `Send`, …) is ignored.
 */
export type ParsedSesEvent = { kind: 'ignored'; why: string } | { kind: 'undeliverable'; events: UndeliverableEvent[] };

interface Recipient {
  emailAddress?: unknown;
}

interface SesNotification {
  eventType?: unknown;
  notificationType?: unknown;
  bounce?: { bounceType?: unknown; bounceSubType?: unknown; bouncedRecipients?: Recipient[]; timestamp?: unknown; feedbackId?: unknown };
  complaint?: { complainedRecipients?: Recipient[]; timestamp?: unknown; feedbackId?: unknown; complaintFeedbackType?: unknown; complaintSubType?: unknown };
  mail?: { timestamp?: unknown; messageId?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * `Name <a@b.nl>` or `a@b.nl` → `a@b.nl`. SES reports the recipient as the message addressed it
 * (with a display name where there was one).
 */
function addressOf(value: unknown): string | undefined {
  const s = str(value);
  if (!s) return undefined;
  const m = /<([^<>]+)>\s*$/.exec(s);
  const address = (m ? m[1] : s).trim();
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : undefined;
}

function recipients(list: Recipient[] | undefined): string[] {
  const out = new Set<string>();
  for (const r of Array.isArray(list) ? list : []) {
    const a = addressOf(r?.emailAddress);
    if (a) out.add(a);
  }
  return [...out];
}

/** One SES notification (the SNS message's JSON, parsed) → what it means for the register. */
export function parseSesNotification(n: SesNotification): ParsedSesEvent {
  const type = str(n?.eventType) ?? str(n?.notificationType);
  if (type === 'Bounce') {
    const b = n.bounce ?? {};
    const bounceType = str(b.bounceType);
    if (bounceType !== 'Permanent') return { kind: 'ignored', why: `bounce ${bounceType ?? 'without type'}` };
    const at = str(b.timestamp) ?? str(n.mail?.timestamp);
    const feedbackId = str(b.feedbackId);
    if (!at || !feedbackId) return { kind: 'ignored', why: 'bounce without timestamp or feedbackId' };
    const detail = str(b.bounceSubType);
    return { kind: 'undeliverable', events: recipients(b.bouncedRecipients).map((address) => ({ address, reason: 'bounce', at, feedbackId, ...(detail ? { detail } : {}) })) };
  }
  if (type === 'Complaint') {
    const c = n.complaint ?? {};
    const at = str(c.timestamp) ?? str(n.mail?.timestamp);
    const feedbackId = str(c.feedbackId);
    if (!at || !feedbackId) return { kind: 'ignored', why: 'complaint without timestamp or feedbackId' };
    const detail = str(c.complaintFeedbackType) ?? str(c.complaintSubType);
    return { kind: 'undeliverable', events: recipients(c.complainedRecipients).map((address) => ({ address, reason: 'complaint', at, feedbackId, ...(detail ? { detail } : {}) })) };
  }
  return { kind: 'ignored', why: type ? `event ${type}` : 'not an SES notification' };
}

export interface SesEventsSummary {
  records: number;
  marked: number;
  duplicates: number;
  ignored: number;
}

/**
 * The SNS-subscribed function's work: every record's addresses are marked (idempotently). A
 * message that is not JSON is logged and dropped (retrying cannot fix it); a failed write throws,
 * so Lambda retries the invocation and, after that, its on-failure destination (a dead-letter
 * queue with an alarm) keeps it. Addresses are never logged: only counts and SES's ids.
 */
export async function handleSesEvents(event: SNSEvent): Promise<SesEventsSummary> {
  const summary: SesEventsSummary = { records: 0, marked: 0, duplicates: 0, ignored: 0 };
  for (const record of event.Records ?? []) {
    summary.records++;
    let notification: SesNotification;
    try {
      notification = JSON.parse(record.Sns?.Message ?? '') as SesNotification;
    } catch {
      summary.ignored++;
      logger.warn('SES event: the SNS message is not JSON; dropped', { snsMessageId: record.Sns?.MessageId });
      continue;
    }
    const parsed = parseSesNotification(notification);
    if (parsed.kind === 'ignored') {
      summary.ignored++;
      logger.info('SES event ignored', { why: parsed.why, snsMessageId: record.Sns?.MessageId });
      continue;
    }
    for (const e of parsed.events) {
      const outcome = await markUndeliverable(e);
      if (outcome === 'marked') summary.marked++;
      else summary.duplicates++;
      logger.info('SES event: address marked undeliverable', { outcome, reason: e.reason, feedbackId: e.feedbackId, sesMessageId: str(notification.mail?.messageId) });
    }
  }
  return summary;
}
