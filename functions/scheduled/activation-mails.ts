import type { Context } from 'aws-lambda';
import { runActivationMails } from '../../shared/services/activation-mails';
import { todayInAmsterdam } from '../../shared/dates';
import { logger } from '../../shared/log';

/** What EventBridge Scheduler sends (see infra/constructs/scheduled-jobs.ts). */
interface ScheduledEvent {
  job?: string;
  /** The schedule's instant (ISO-8601 UTC); reported as the run's `asOf` date (Amsterdam). */
  scheduledTime?: string;
}

/** Stop starting e-mails this long before the Lambda's timeout, so those in flight are recorded. */
const SAFETY_MS = 30_000;

/**
 * The activation-mails job, every 5 minutes: sends the activation e-mails collective
 * registrations left pending. A backlog left when time runs out is normal (the next run goes on).
 * A run that could send nothing while some failed means sending is broken (SES down, the sender
 * identity or a permission gone): the invocation then fails, so Lambda retries it and, after its
 * retries, the event lands in the job's dead-letter queue, which raises the alarm. Single
 * failures among successful sends are logged and retried by the next run.
 */
export const handler = async (event: ScheduledEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const at = event?.scheduledTime ? new Date(event.scheduledTime) : new Date();
  if (Number.isNaN(at.getTime())) throw new Error(`scheduledTime is not an instant: ${event.scheduledTime}`);
  const stopAt = context ? Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS : undefined;
  const summary = await runActivationMails(todayInAmsterdam(at), { stopAt });
  if (summary.failed > 0) {
    logger.error('activation-mails: some e-mails failed and stay pending', { ...summary });
    if (summary.sent === 0) throw new Error(`activation-mails: ${summary.failed} e-mail(s) failed and none was sent; ${summary.pending} pending`);
  }
  return summary;
};
