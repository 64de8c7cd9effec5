/**
 * The job registry: name → implementation. The scheduled Lambdas, `POST /v1/jobs/{job}/runs`,
 * `npm run job` and the local cron all run jobs through here. Each job is idempotent for an
 * `asOf` date, so a rerun (or a concurrent run) is always safe.
 */
export type JobSummary = { job: string; asOf: string } & Record<string, unknown>;
export interface JobRunOptions {
  /** Epoch ms after which the job starts no new work; what is left stays due for its next run. */
  stopAt?: number;
}
export type JobRunner = (asOf: string, opts?: JobRunOptions) => Promise<JobSummary>;

const registry: Record<string, () => Promise<JobRunner>> = {
  // Lazy: a Lambda bundle (and `npm run job`) loads only the job it runs.
  'expiry-notices': async () => (await import('../services/notices')).expiryNoticesJob,
  'activation-mails': async () => (await import('../services/activation-mails')).activationMailsJob,
  'monthly-invoices': async () => {
    const { runMonthlyInvoices } = await import('../services/invoicing');
    return (asOf, opts) => runMonthlyInvoices(asOf, { stopAt: opts?.stopAt });
  },
  'invoice-mails': async () => {
    const { runInvoiceMails } = await import('../services/invoicing');
    return (asOf, opts) => runInvoiceMails(asOf, { stopAt: opts?.stopAt });
  },
};

export function jobNames(): string[] {
  return Object.keys(registry);
}

export function isJob(name: string): boolean {
  return Object.hasOwn(registry, name);
}

export async function runJob(name: string, asOf: string, opts?: JobRunOptions): Promise<JobSummary> {
  const load = registry[name];
  if (!load) throw new Error(`Unknown job ${name}; known: ${jobNames().join(', ') || '(none)'}`);
  return (await load())(asOf, opts);
}
