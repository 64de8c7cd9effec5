import type { Context } from 'aws-lambda';
import { runExpiryNotices } from '../../shared/services/notices';
import { todayInAmsterdam } from '../../shared/dates';
import { logger } from '../../shared/log';

/** What EventBridge Scheduler sends (see infra/constructs/scheduled-jobs.ts). */
interface ScheduledEvent {
  job?: string;
  /** The schedule's instant (ISO-8601 UTC); the job runs as of that instant's date in Amsterdam. */
  scheduledTime?: string;
}

/** Leave this much of the Lambda's time for the notices in flight to finish and be recorded. */
const SAFETY_MS = 60_000;

/**
 * The daily expiry-notices job. Individual failures do not stop the run; when some notice or
 * digest is still due at the end (failed sends, time ran out), the invocation fails after the run,
 * so Lambda retries it (the rerun only picks up what is still due) and, after its retries, the
 * event lands in the job's dead-letter queue, which raises the alarm.
 */
export const handler = async (event: ScheduledEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const at = event?.scheduledTime ? new Date(event.scheduledTime) : new Date();
  if (Number.isNaN(at.getTime())) throw new Error(`scheduledTime is not an instant: ${event.scheduledTime}`);
  const stopAt = context ? Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS : undefined;
  const summary = await runExpiryNotices(todayInAmsterdam(at), { stopAt });
  const left = summary.failed + summary.deferred + summary.employerDigestsFailed;
  if (left > 0) {
    logger.error('expiry-notices incomplete', { ...summary });
    throw new Error(`expiry-notices as of ${summary.asOf}: ${left} notice(s)/digest(s) still due after this run`);
  }
  return summary;
};
