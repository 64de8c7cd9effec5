import type { PersonalDataHolder } from './holder';
import { eraseMarks, getMarkByKey, profileMark } from '../../data/deliverability';
import { emailIndexPk } from '../../data/participants';

/**
 * Issue 16 part 5: the bounce marks. What the register holds about a participant's deliverability
 * is the profile's `emailUndeliverable` (reason, when, SES's feedback id, the address's index key)
 * and the mark of their address (`EMAIL#<sha256>` / `UNDELIVERABLE`, found by the address on file
 * and by the key the profile's mark names). Pending address-change links are tokens
 * (shared/data/tokens.ts) and carry the participant's owner index like every token, so the core
 * token holder spends them and removes their address.
 */
async function addressMark(emailKey: string): Promise<Record<string, unknown> | undefined> {
  const item = await getMarkByKey(emailKey);
  if (!item) return undefined;
  const { reason, at, feedbackId, detail, markedAt } = item;
  return { reason, at, feedbackId, ...(detail ? { detail } : {}), markedAt };
}

export const deliverabilityHolder: PersonalDataHolder = {
  name: 'emailDeliverability',
  async export(participantId) {
    const held = await profileMark(participantId);
    if (!held) return { profileMark: null, addressMarks: [] };
    const keys = new Set<string>();
    if (typeof held.mark?.emailKey === 'string') keys.add(held.mark.emailKey);
    if (held.email) keys.add(emailIndexPk(held.email));
    const marks = (await Promise.all([...keys].map(addressMark))).filter((m): m is Record<string, unknown> => Boolean(m));
    const mark = held.mark ? { reason: held.mark.reason, at: held.mark.at, feedbackId: held.mark.feedbackId } : null;
    return { profileMark: mark, addressMarks: marks };
  },
  async erase(participantId) {
    await eraseMarks(participantId);
  },
};

/** The personal data of issue 16's deliverability part. */
export const holders: PersonalDataHolder[] = [deliverabilityHolder];
