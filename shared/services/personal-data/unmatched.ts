import type { PersonalDataHolder } from './holder';
import { getParticipant } from '../../data/participants';
import { eraseUnmatchedRef, unmatchedByRef } from '../../data/unmatched';
import { claimsOfParticipant, eraseClaim } from '../../data/completion-claims';
import { claimView, unmatchedView } from '../unmatched';

/**
 * Issue 16 part 4. Unmatched completions hold a number as a provider gave it: the participant's
 * when it is their registration or diploma number (found through gsi2 `UNMATCHEDREF#…`; a
 * typo that is nobody's belongs to no one). Completion claims are the participant's own (their
 * name and registration number, copied for the decider).
 */
async function refsOf(participantId: string, diplomaNumber?: string) {
  const p = await getParticipant(participantId, true);
  if (!p) return [];
  // An erased profile no longer holds its diploma number (the erasure's snapshot still does).
  const diploma = diplomaNumber ?? p.diplomaNumber;
  const lists = await Promise.all([
    unmatchedByRef({ registrationNumber: p.registrationNumber }),
    ...(diploma ? [unmatchedByRef({ diplomaNumber: diploma })] : []),
  ]);
  return lists.flat();
}

export const holders: PersonalDataHolder[] = [
  {
    name: 'unmatchedCompletions',
    export: async (participantId) => (await refsOf(participantId)).map(unmatchedView),
    erase: async (participantId, ctx) => {
      for (const u of await refsOf(participantId, ctx.subject?.diplomaNumber)) await eraseUnmatchedRef(u.unmatchedId, ctx.erasedAt);
    },
  },
  {
    name: 'completionClaims',
    export: async (participantId) => (await claimsOfParticipant(participantId)).map(claimView),
    erase: async (participantId, ctx) => {
      for (const c of await claimsOfParticipant(participantId)) await eraseClaim(c, ctx.pseudonym, ctx.erasedAt);
    },
  },
];
