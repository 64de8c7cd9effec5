import { asOfProblem, runOrPlan, type JobPlanner, type JobRunner, type JobRunOptions, type JobSummary } from './run-or-plan';

// Moved to ./run-or-plan (a module without the jobs, which a job's own bundle and the schemas import).
export { asOfProblem, DRY_RUN_ITEMS, runOrPlan, type JobPlanner, type JobRunner, type JobRunOptions, type JobSummary } from './run-or-plan';

type JobLoader = () => Promise<{ run: JobRunner; plan: JobPlanner }>;

/**
 * The job registry: name → implementation. `POST /v1/jobs/{job}/runs`, /beheer/taken, `npm run job`
 * and the local cron run jobs through here (a job's own Lambda runs its job directly:
 * shared/jobs/scheduled.ts). Each job is idempotent for an `asOf` date, so a rerun (or a
 * concurrent run) is always safe.
 */

/** Every job's name, in the order the staff page lists them (shared/routes.ts `jobs` has the same). */
const JOB_NAMES = ['expiry-notices', 'activation-mails', 'monthly-invoices', 'invoice-mails', 'retention'];

/**
 * In a Lambda bundle of a job runner (`JOB_RUNNER_HANDLERS`), esbuild defines this as true
 * (infra/constructs/pe-function.ts `definesOf`): the runner carries no job and invokes the job's
 * own function (./remote.ts; the stack names it in the runner's environment), so the jobs' code
 * (their dynamic imports, which esbuild inlines in a one-file bundle) drops out of its bundle.
 * Undefined everywhere else (tests, `npm start`, `npm run job`): every job runs in-process. A
 * job's own function does not come through here: its handler passes its run and plan to
 * `scheduledJob` (shared/jobs/scheduled.ts).
 */
declare const PE_REMOTE_JOBS: boolean | undefined;

const registry: Partial<Record<string, JobLoader>> = {
  // Lazy: `npm run job` loads only the job it runs.
  ...(typeof PE_REMOTE_JOBS === 'undefined' && {
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
  }),
};

/** The handlers that run a job on request: in the cloud they invoke the job's own function. */
export const JOB_RUNNER_HANDLERS = ['http/run-job', 'web/staff-jobs'];

/** The environment variable that names a job's function in a runner's environment: `JOB_FUNCTION_EXPIRY_NOTICES`. */
export function jobFunctionVariable(name: string): string {
  return `JOB_FUNCTION_${name.toUpperCase().replace(/-/g, '_')}`;
}

export function jobNames(): string[] {
  return [...JOB_NAMES];
}

export function isJob(name: string): boolean {
  return JOB_NAMES.includes(name);
}

export async function runJob(name: string, asOf: string, opts?: JobRunOptions): Promise<JobSummary> {
  if (!isJob(name)) throw new Error(`Unknown job ${name}; known: ${jobNames().join(', ')}`);
  // Where the stack named the job's function (infra/constructs/scheduled-jobs.ts `allowRunning`),
  // the job runs there: in its own bundle, time-out and role.
  const fn = process.env[jobFunctionVariable(name)];
  if (fn) {
    const problem = asOfProblem(asOf);
    if (problem) throw new RangeError(problem);
    return (await import('./remote')).invokeJob(fn, name, asOf, opts);
  }
  const load = registry[name];
  if (!load) throw new Error(`Job ${name} is not in this bundle, and no function is named for it in ${jobFunctionVariable(name)}`);
  return runOrPlan(await load(), asOf, opts);
}
