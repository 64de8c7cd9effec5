import { runInvoiceMails } from '../../shared/services/invoicing/monthly-run';
import { planInvoiceMails } from '../../shared/services/invoicing/plan';
import { scheduledJob } from '../../shared/jobs/scheduled';

/**
 * The invoice-mails job, every 5 minutes: sends the invoice and credit-note e-mails that have not
 * gone out yet. As with activation mails, a run that could send nothing while some failed means
 * sending is broken: the invocation fails, and after Lambda's retries the alarm goes off.
 */
export const handler = scheduledJob({
  name: 'invoice-mails',
  safetyMs: 60_000,
  run: runInvoiceMails,
  plan: planInvoiceMails,
  failure: (s) => (s.failed > 0 && s.sent === 0 ? `${s.failed} e-mail(s) failed and none was sent; ${s.pending} pending` : undefined),
});
