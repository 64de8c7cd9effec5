import { planExpiryNotices, runExpiryNotices } from '../../shared/services/notices';
import { scheduledJob } from '../../shared/jobs/scheduled';

/**
 * The daily expiry-notices job. Individual failures do not stop the run; a notice or digest still
 * due at the end (failed sends, time ran out) fails the invocation, so Lambda retries it.
 * 60 s are kept for the notices in flight to finish and be recorded.
 */
export const handler = scheduledJob({
  name: 'expiry-notices',
  safetyMs: 60_000,
  run: runExpiryNotices,
  plan: planExpiryNotices,
  failure: (s) => {
    const left = s.failed + s.deferred + s.employerDigestsFailed + (s.credentials ? s.credentials.deferred + s.credentials.failed : 0);
    return left > 0 ? `${left} notice(s)/digest(s) still due after this run` : undefined;
  },
});
