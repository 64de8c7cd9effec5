import type { Context } from 'aws-lambda';
import { runMonthlyInvoices } from '../../shared/services/invoicing';
import { todayInAmsterdam } from '../../shared/dates';
import { logger } from '../../shared/log';

/** What EventBridge Scheduler sends (see infra/constructs/scheduled-jobs.ts). */
interface ScheduledEvent {
  job?: string;
  /** The schedule's instant (ISO-8601 UTC); the run is as of that instant's date in Amsterdam. */
  scheduledTime?: string;
}

/** Leave this much of the Lambda's time for the invoices in flight to finish. */
const SAFETY_MS = 60_000;

/**
 * The monthly run (06:00 Amsterdam on the 1st): as of the scheduled day in Amsterdam, so it
 * invoices the month that just ended. In the cloud it enqueues one message per employer for the
 * worker; what it does itself (the outbox, missed individual invoices) stops before the Lambda's
 * deadline. When something is left (a failed send, time ran out), the invocation fails after the
 * run, so Lambda retries it — a rerun only completes what is missing — and then the job's
 * dead-letter queue raises the alarm.
 */
export const handler = async (event: ScheduledEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const at = event?.scheduledTime ? new Date(event.scheduledTime) : new Date();
  if (Number.isNaN(at.getTime())) throw new Error(`scheduledTime is not an instant: ${event.scheduledTime}`);
  const stopAt = context ? Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS : undefined;
  const summary = await runMonthlyInvoices(todayInAmsterdam(at), { stopAt });
  const left = summary.failed + summary.deferred;
  if (left > 0) {
    logger.error('monthly-invoices incomplete', { ...summary });
    throw new Error(`monthly-invoices as of ${summary.asOf}: ${left} invoice(s) not completed by this run`);
  }
  logger.info('monthly-invoices done', { ...summary });
  return summary;
};
