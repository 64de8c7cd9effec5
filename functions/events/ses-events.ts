import type { SNSEvent } from 'aws-lambda';
import { handleSesEvents, type SesEventsSummary } from '../../shared/services/ses-events';

/**
 * SES's bounce and complaint events, from the configuration set every e-mail is sent with,
 * through an encrypted SNS topic (infra/constructs/deliverability.ts): each hard bounce or
 * complaint marks the address undeliverable (shared/services/ses-events.ts). SNS invokes this
 * asynchronously: an error makes Lambda retry, then the event goes to the dead-letter queue, which
 * alarms. Marking is idempotent, so SNS's at-least-once delivery writes each event once.
 */
export async function handler(event: SNSEvent): Promise<SesEventsSummary> {
  return handleSesEvents(event);
}
