import { todayInAmsterdam } from '../dates';

/**
 * The job registry: name → implementation. The scheduled Lambdas, `POST /v1/jobs/{job}/runs`,
 * `npm run job` and the local cron all run jobs through here. Each job is idempotent for an
 * `asOf` date, so a rerun (or a concurrent run) is always safe.
 */
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
type JobPlanner = (asOf: string) => Promise<JobSummary & { items: unknown[] }>;

/** Items a dry run lists (the counts cover all of them). */
export const DRY_RUN_ITEMS = 50;

const registry: Record<string, () => Promise<{ run: JobRunner; plan: JobPlanner }>> = {
  // Lazy: a Lambda bundle (and `npm run job`) loads only the job it runs.
  'expiry-notices': async () => {
    const { expiryNoticesJob, planExpiryNotices } = await import('../services/notices');
    return { run: expiryNoticesJob, plan: planExpiryNotices };
  },
  'activation-mails': async () => {
    const { activationMailsJob, planActivationMails } = await import('../services/activation-mails');
    return { run: activationMailsJob, plan: planActivationMails };
  },
  'monthly-invoices': async () => {
    const [{ runMonthlyInvoices }, { planMonthlyInvoices }] = await Promise.all([import('../services/invoicing/monthly-run'), import('../services/invoicing/plan')]);
    return { run: (asOf, opts) => runMonthlyInvoices(asOf, { stopAt: opts?.stopAt }), plan: planMonthlyInvoices };
  },
  'invoice-mails': async () => {
    const [{ runInvoiceMails }, { planInvoiceMails }] = await Promise.all([import('../services/invoicing/monthly-run'), import('../services/invoicing/plan')]);
    return { run: (asOf, opts) => runInvoiceMails(asOf, { stopAt: opts?.stopAt }), plan: planInvoiceMails };
  },
  retention: async () => {
    const { runRetention, planRetention } = await import('../services/personal-data/rights');
    return { run: (asOf, opts) => runRetention(asOf, { stopAt: opts?.stopAt }), plan: planRetention };
  },
  'credential-status': async () => {
    const { runCredentialLapse, planCredentialLapse } = await import('../services/credential-status');
    return { run: (asOf, opts) => runCredentialLapse(asOf, { stopAt: opts?.stopAt }), plan: planCredentialLapse };
  },
};

export function jobNames(): string[] {
  return Object.keys(registry);
}

export function isJob(name: string): boolean {
  return Object.hasOwn(registry, name);
}

/**
 * Why a run as of this date is refused, or undefined. A run acts as if that day had come: as of a
 * future date it sent lapse notices to people with a year left, and advanced their notice index
 * past the notices they should still get. So `asOf` may not be after today in Europe/Amsterdam.
 */
export function asOfProblem(asOf: string, today = todayInAmsterdam()): string | undefined {
  return asOf > today ? `asOf may not be after today (${today}, Europe/Amsterdam); got ${asOf}` : undefined;
}

export async function runJob(name: string, asOf: string, opts?: JobRunOptions): Promise<JobSummary> {
  const load = registry[name];
  if (!load) throw new Error(`Unknown job ${name}; known: ${jobNames().join(', ') || '(none)'}`);
  const problem = asOfProblem(asOf);
  if (problem) throw new RangeError(problem);
  const job = await load();
  if (!opts?.dryRun) return job.run(asOf, opts);
  const { items, ...summary } = await job.plan(asOf);
  return { ...summary, dryRun: true, items: items.slice(0, DRY_RUN_ITEMS), itemsTotal: items.length };
}
