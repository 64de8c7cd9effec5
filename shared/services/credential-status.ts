import { AGAIN, optimistic } from '../data/client';
import type { Actor } from '../data/audit';
import { getParticipant, type Participant } from '../data/participants';
import {
  credentialsEndedBy,
  deleteCredential,
  getStatusList,
  leaveLapseIndex,
  listCredentials,
  revokeInList,
  getCredential,
  type StoredCredential,
} from '../data/credentials';
import { Conflict } from '../domain/errors';
import { logger } from '../log';
import { drain, type Flow } from '../jobs/drain';

/**
 * The status side of the credentials (issue 18): setting a credential's revocation bit, for the
 * admin's withdrawal, the erasure and the lapse of a period. No signing here (the status list is
 * signed when it is fetched, shared/services/credentials.ts), so the jobs that revoke do not carry
 * the signer.
 */

const RACE = { attempts: 8, backoffMs: (attempt: number) => 5 * attempt + Math.floor(Math.random() * 10) };

/** Revokes one credential: 'revoked', or 'already' when it was revoked before (idempotent). */
export async function revokeCredential(
  credential: StoredCredential,
  reason: string,
  audit?: { actor: Actor; action: string },
  at = new Date(),
): Promise<'revoked' | 'already'> {
  if (credential.revokedAt) return 'already';
  return optimistic(
    async () => {
      const list = await getStatusList(credential.listId, true);
      if (!list) throw new Error(`status list ${credential.listId} of credential ${credential.credentialId} is missing`);
      const out = await revokeInList(list, { credential, reason, at, audit });
      return out === 'again' ? AGAIN : out;
    },
    { ...RACE, exhausted: () => new Conflict('The status list was changed by others at the same moment; try again.', { reason: 'concurrent-update' }) },
  );
}

export const LAPSE_ACTOR: Actor = { role: 'system', id: 'expiry-notices' };

/** A period followed by the next one (its renewal starts on the day it ends): its credential only expires. */
const renewedAfter = (participant: Participant | undefined, e: { endsOn: string }) => Boolean(participant?.periods.some((p) => p.startsOn === e.endsOn));

/**
 * The lapse, in the daily expiry-notices run (shared/services/notices.ts), beside the lapse notice:
 * every credential whose period ended by `asOf` (its `endsOn` ≤ asOf) leaves the lapse index; the
 * ones not followed by a renewal are revoked, so a verifier that checks the status list sees the
 * title gone within one run of the job, even one that ignores the dates.
 */
export async function lapseCredentials(asOf: string, opts: { stopAt?: number } = {}) {
  const entries = await credentialsEndedBy(asOf);
  // The one drain (shared/jobs/drain.ts): one at a time, since every revocation writes the one
  // status list (concurrent ones would only race for it); nothing started after `stopAt` (those
  // stay on the index for the next run), and a failure is counted and left for the next run.
  const flow: Flow<(typeof entries)[number]> = {
    name: 'credential lapse',
    send: async (e) => {
      const participant = await getParticipant(e.participantId, true);
      if (renewedAfter(participant, e)) {
        await leaveLapseIndex(e.participantId, e.startsOn);
        return 'retired';
      }
      const credential = await getCredential(e.participantId, e.startsOn, true);
      if (!credential) return 'notDue';
      await revokeCredential(credential, 'lapsed', { actor: LAPSE_ACTOR, action: 'credential.revoked' });
      return 'sent';
    },
  };
  const tally = await drain(entries, flow, { concurrency: 1, stopAt: opts.stopAt });
  const summary = { revoked: tally.sent, renewed: tally.retired, deferred: tally.notStarted, failed: tally.failed };
  if (entries.length) logger.info('credentials lapsed', { asOf, ...summary });
  return summary;
}

/** What a run would do (a dry run): revoke, or only take off the index (renewed), nothing written. */
export async function planCredentialLapse(asOf: string) {
  const items: { type: 'credential-lapse'; participantId: string; startsOn: string; endsOn: string; action: 'revoke' | 'expire' }[] = [];
  for (const e of await credentialsEndedBy(asOf)) {
    const participant = await getParticipant(e.participantId);
    items.push({ type: 'credential-lapse', ...e, action: renewedAfter(participant, e) ? 'expire' : 'revoke' });
  }
  return { revoked: items.filter((i) => i.action === 'revoke').length, renewed: items.filter((i) => i.action === 'expire').length, deferred: 0, failed: 0, items };
}

/**
 * The erasure: every credential of the participant is revoked (a copy a hirer holds stops
 * verifying as current) and deleted (it carries the name). Idempotent.
 */
export async function eraseCredentials(participantId: string): Promise<{ revoked: number; deleted: number }> {
  const all = await listCredentials(participantId);
  let revoked = 0;
  for (const c of all) {
    if ((await revokeCredential(c, 'erased')) === 'revoked') revoked++;
    await deleteCredential(c.participantId, c.startsOn);
  }
  return { revoked, deleted: all.length };
}

/** The participant's credentials as the export shows them. */
export async function exportCredentials(participantId: string) {
  return (await listCredentials(participantId)).map((c) => ({ ...c }));
}
