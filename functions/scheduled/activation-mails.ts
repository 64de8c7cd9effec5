import { planActivationMails, runActivationMails } from '../../shared/services/activation-mails';
import { scheduledJob } from '../../shared/jobs/scheduled';

/**
 * The activation-mails job, every 5 minutes: sends the activation e-mails collective
 * registrations left pending. A backlog left when time runs out is normal (the next run goes on),
 * and single failures among successful sends are retried by the next run. A run that could send
 * nothing while some failed means sending is broken (SES down, the sender identity or a
 * permission gone): that fails the invocation, and after Lambda's retries the alarm goes off.
 */
export const handler = scheduledJob({
  name: 'activation-mails',
  safetyMs: 30_000,
  run: runActivationMails,
  plan: planActivationMails,
  failure: (s) => (s.failed > 0 && s.sent === 0 ? `${s.failed} e-mail(s) failed and none was sent; ${s.pending} pending` : undefined),
});
