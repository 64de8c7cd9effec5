import { runMonthlyInvoices } from '../../shared/services/invoicing';
import { scheduledJob } from '../../shared/jobs/scheduled';

/**
 * The monthly run (06:00 Amsterdam on the 1st): as of the scheduled day, so it invoices the month
 * that just ended. In the cloud it enqueues one message per employer for the worker; what it does
 * itself (the outbox, missed individual invoices) stops 60 s before the Lambda's deadline. A failed
 * send or deferred work fails the invocation, so Lambda retries it.
 */
export const handler = scheduledJob({
  name: 'monthly-invoices',
  safetyMs: 60_000,
  run: runMonthlyInvoices,
  failure: (s) => {
    const left = s.failed + s.deferred;
    return left > 0 ? `${left} invoice(s) not completed by this run` : undefined;
  },
});
