import type { Context } from 'aws-lambda';
import { todayInAmsterdam } from '../dates';
import { logger } from '../log';
import { runOrPlan, type JobPlanner, type JobSummary } from './run-or-plan';
import type { ManualRunEvent } from './remote';

/** What EventBridge Scheduler sends (see infra/constructs/scheduled-jobs.ts). */
export interface ScheduledEvent {
  job?: string;
  /** The schedule's instant (ISO-8601 UTC); the job runs as of that instant's date in Amsterdam. */
  scheduledTime?: string;
}

/**
 * The Lambda entry of a scheduled job: `asOf` is the scheduled instant's date in Amsterdam, and
 * the run stops starting work `safetyMs` before the Lambda's deadline. When `failure` names
 * something the run could not finish, the invocation fails after the run, so Lambda retries it
 * (jobs are idempotent: a rerun only does what is left) and, after its retries, the event lands
 * in the job's dead-letter queue, which raises the alarm.
 */
export function scheduledJob<S extends { job: string; asOf: string }>(opts: {
  name: string;
  safetyMs: number;
  run: (asOf: string, options: { stopAt?: number }) => Promise<S>;
  /** What a run would do (a dry run on request), as the registry's entry of the job has it. */
  plan: JobPlanner;
  /** A message when the run must count as failed, else undefined. */
  failure: (summary: S) => string | undefined;
}) {
  type Ctx = Pick<Context, 'getRemainingTimeInMillis'>;
  const handler = async (input: ScheduledEvent | ManualRunEvent, context?: Ctx): Promise<S | JobSummary> => {
    // A run on request (shared/jobs/remote.ts): as the runner asked, through the registry (dry run
    // included), its summary the answer; no failure check, as when the job runs in-process.
    if (input && 'manualRun' in input && input.manualRun) {
      const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - opts.safetyMs : undefined;
      const stopAt = input.stopAt === undefined ? deadline : deadline === undefined ? input.stopAt : Math.min(input.stopAt, deadline);
      return runOrPlan({ run: (asOf, o) => opts.run(asOf, { stopAt: o?.stopAt }), plan: opts.plan }, input.asOf, { stopAt, dryRun: input.dryRun });
    }
    const event = input as ScheduledEvent;
    const at = event?.scheduledTime ? new Date(event.scheduledTime) : new Date();
    if (Number.isNaN(at.getTime())) throw new Error(`scheduledTime is not an instant: ${event.scheduledTime}`);
    const stopAt = context ? Date.now() + context.getRemainingTimeInMillis() - opts.safetyMs : undefined;
    const summary = await opts.run(todayInAmsterdam(at), { stopAt });
    const failure = opts.failure(summary);
    if (failure) {
      logger.error(`${opts.name} incomplete`, { ...summary });
      throw new Error(`${opts.name} as of ${summary.asOf}: ${failure}`);
    }
    logger.info(`${opts.name} done`, { ...summary });
    return summary;
  };
  return handler as { (event: ScheduledEvent, context?: Ctx): Promise<S>; (event: ManualRunEvent, context?: Ctx): Promise<JobSummary> };
}
