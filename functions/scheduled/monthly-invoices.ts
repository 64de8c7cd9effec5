import { runJob } from '../../shared/jobs/registry';
import { todayInAmsterdam } from '../../shared/dates';
import { logger } from '../../shared/log';

/**
 * EventBridge Scheduler's monthly run (06:00 Amsterdam on the 1st): as of the scheduled day in
 * Amsterdam, i.e. it invoices the month that just ended. Throws on failure, so Lambda's async
 * retries and the job's dead-letter queue see it; a rerun only completes what is missing.
 */
export async function handler(event: { job?: string; scheduledTime?: string }) {
  const at = event.scheduledTime ? new Date(event.scheduledTime) : new Date();
  if (Number.isNaN(at.getTime())) throw new Error(`Unreadable scheduledTime ${event.scheduledTime}`);
  const summary = await runJob('monthly-invoices', todayInAmsterdam(at));
  logger.info('monthly-invoices done', { summary });
  return summary;
}
