import { todayInAmsterdam } from '../dates';

/** A job's run and its dry run, apart from the registry of all jobs (./registry.ts). */
export type JobSummary = { job: string; asOf: string } & Record<string, unknown>;
export interface JobRunOptions {
  /** Epoch ms after which the job starts no new work; what is left stays due for its next run. */
  stopAt?: number;
  /**
   * Report what a run would do (counts and the first `DRY_RUN_ITEMS` items) from the same
   * selection, without sending or writing anything: no claims, leases, run guards or audit events.
   */
  dryRun?: boolean;
}
export type JobRunner = (asOf: string, opts?: JobRunOptions) => Promise<JobSummary>;
export type JobPlanner = (asOf: string) => Promise<JobSummary & { items: unknown[] }>;

/** Items a dry run lists (the counts cover all of them). */
export const DRY_RUN_ITEMS = 50;

/**
 * Why a run as of this date is refused, or undefined. A run acts as if that day had come: as of a
 * future date it sent lapse notices to people with a year left, and advanced their notice index
 * past the notices they should still get. So `asOf` may not be after today in Europe/Amsterdam.
 */
export function asOfProblem(asOf: string, today = todayInAmsterdam()): string | undefined {
  return asOf > today ? `asOf may not be after today (${today}, Europe/Amsterdam); got ${asOf}` : undefined;
}

/** A run (or, with `dryRun`, its plan: counts and the first `DRY_RUN_ITEMS` items) as of a date up to today. */
export async function runOrPlan(job: { run: JobRunner; plan: JobPlanner }, asOf: string, opts?: JobRunOptions): Promise<JobSummary> {
  const problem = asOfProblem(asOf);
  if (problem) throw new RangeError(problem);
  if (!opts?.dryRun) return job.run(asOf, opts);
  const { items, ...summary } = await job.plan(asOf);
  return { ...summary, dryRun: true, items: items.slice(0, DRY_RUN_ITEMS), itemsTotal: items.length };
}
