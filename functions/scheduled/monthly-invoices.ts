import { runMonthlyInvoices } from '../../shared/services/invoicing/monthly-run';
import { planMonthlyInvoices } from '../../shared/services/invoicing/plan';
import { scheduledJob } from '../../shared/jobs/scheduled';

/**
 * The monthly run (06:00 Amsterdam on the 1st): as of the scheduled day, so it invoices the month
 * that just ended. In the cloud it enqueues one message per employer for the worker; what it does
 * itself (the outbox, missed individual invoices) stops 60 s before the Lambda's deadline. A failed
 * send, deferred work or fees without a tariff fail the invocation, so Lambda retries it and,
 * after the retries, the dead-letter alarm goes off.
 */
export const handler = scheduledJob({
  name: 'monthly-invoices',
  safetyMs: 60_000,
  run: runMonthlyInvoices,
  plan: planMonthlyInvoices,
  failure: (s) => {
    const left = s.failed + s.deferred;
    if (left > 0) return `${left} invoice(s) not completed by this run`;
    // Fees that cannot be priced are revenue nobody bills: alarm, so the admin sets the tariff and
    // runs the month again (they then go on a supplementary invoice).
    if (s.untariffedFees > 0) return `${s.untariffedFees} fee(s) have no tariff valid on their start date; set one and run this month again`;
    return undefined;
  },
});
