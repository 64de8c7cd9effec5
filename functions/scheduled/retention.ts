import { planRetention, runRetention } from '../../shared/services/personal-data/rights';
import { scheduledJob } from '../../shared/jobs/scheduled';

/**
 * The retention job, daily: pseudonymises participants whose last period ended more than 6 years
 * ago (and finishes erasures left half-way). Work left when time runs out is done by the next
 * run; a run in which erasures failed fails the invocation, so Lambda retries it and, after its
 * retries, the dead-letter queue raises the alarm.
 */
export const handler = scheduledJob({
  name: 'retention',
  safetyMs: 30_000,
  run: runRetention,
  plan: planRetention,
  failure: (s) => (s.failed > 0 ? `${s.failed} erasure(s) failed; ${s.erased} done` : undefined),
});
