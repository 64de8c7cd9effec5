import { runCredentialLapse } from '../../shared/services/credential-status';
import { scheduledJob } from '../../shared/jobs/scheduled';

/**
 * The credential-status job, daily just after midnight: the credentials of periods that ended
 * unrenewed are marked revoked in their status list (the lapse index, no scan). What time did not
 * allow stays on the index for the next run, and fails this one so Lambda retries it.
 */
export const handler = scheduledJob({
  name: 'credential-status',
  safetyMs: 30_000,
  run: runCredentialLapse,
  failure: (s) => (s.deferred > 0 ? `${s.deferred} lapsed credential(s) still to revoke` : undefined),
});
