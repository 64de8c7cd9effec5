import { auditPut } from '../data/audit';
import { changeAddressItems } from '../data/deliverability';
import { displayName, getParticipant, participantPk, type Participant } from '../data/participants';
import { AGAIN, cancellationCodes, optimistic, transact } from '../data/client';
import { createActivationToken, getLiveToken, spendTokenItem } from '../data/tokens';
import { emailChangeConfirmationEmail, emailChangedNoticeEmail } from '../email/templates/email-change';
import { sendEmail } from '../email/send';
import { Conflict, NotFound, Unauthorized } from '../domain/errors';
import { logger } from '../log';
import type { Language } from '../i18n';

/**
 * A new e-mail address, after confirmation (issue 16 part 5; API.md: "the e-mail on file changes
 * only through a confirmation link"):
 * 1. the signed-in participant names a new address on the dossier → a one-time token
 *    (shared/data/tokens.ts, purpose `email-change`, 24 hours) and a mail with its link to the
 *    NEW address;
 * 2. the link alone sets it (no session needed: the participant may open it on another device,
 *    and the one whose old address bounced cannot get a sign-in link there): one transaction
 *    spends the token, moves the address and its gsi2 e-mail index key, drops the bounce mark,
 *    deletes the new address's own mark (the link just proved mail reaches it) and writes the
 *    `participant.email-changed` event; it holds only while the address on file is still the
 *    one the link was asked from, so an older link cannot undo a newer change;
 * 3. the previous address is told (unless it is the undeliverable one: that mail would bounce).
 * The link never signs anyone in: an activation refuses a token with a purpose.
 */
export const EMAIL_CHANGE_VALID_HOURS = 24;

const USED = 'This link was already used or has expired, or the address was changed since. Ask for a new one in your dossier.';

const fold = (email: string) => email.trim().toLowerCase();

/** Sends the confirmation mail for `email` to that address; the address on file (and not undeliverable): nothing, `same-address`. */
export async function requestEmailChange(participant: Participant, email: string, language: Language): Promise<'sent' | 'same-address'> {
  const address = email.trim();
  // From the erasure mark on the profile takes no new address (the confirmation refuses it too).
  if (participant.erasure) throw new NotFound('No participant with this id.');
  if (participant.email && fold(participant.email) === fold(address) && !participant.emailUndeliverable) return 'same-address';
  // A new address that is itself marked undeliverable gets the mail like any other: following
  // its link is the proof that mail reaches it now, and clears its mark.
  const token = await createActivationToken({
    participantId: participant.participantId,
    email: address,
    language,
    purpose: 'email-change',
    validMinutes: EMAIL_CHANGE_VALID_HOURS * 60,
    detail: { previousEmail: participant.email ?? null },
  });
  const messageId = await sendEmail(
    emailChangeConfirmationEmail({ to: address, language, name: displayName(participant), token, validHours: EMAIL_CHANGE_VALID_HOURS }),
  );
  logger.info('e-mail change: confirmation sent', { participantId: participant.participantId, messageId });
  return 'sent';
}

/** Follows a confirmation link: sets the address on file. A used, expired, stale or unknown token → Unauthorized. */
export async function confirmEmailChange(token: string, now = new Date()): Promise<{ participantId: string }> {
  const item = await getLiveToken(token, 'email-change', now);
  if (!item) throw new Unauthorized(USED);
  const participantId = item.participantId as string;
  const email = item.email as string;
  const previous = (item.previousEmail as string | null | undefined) ?? null;
  const first = await getParticipant(participantId, true);
  if (!first || first.erasure) throw new Unauthorized(USED);
  let before: Participant = first;
  await optimistic(async () => {
    try {
      await transact([
        spendTokenItem(token, now, 'email-change'),
        ...changeAddressItems(participantId, previous, email, before),
        auditPut(
          participantPk(participantId),
          {
            actor: { role: 'participant', id: participantId },
            action: 'participant.email-changed',
            before: { email: previous },
            after: { email },
            detail: { via: 'confirmation-link', undeliverableCleared: Boolean(before.emailUndeliverable) },
          },
          now,
        ),
      ]);
      return 'changed';
    } catch (err) {
      const codes = cancellationCodes(err);
      // The profile's condition also fails when an employer was linked since the read (the report
      // projection, shared/data/employee-state.ts): read again and change it with the new links.
      if (codes && codes[0] === 'None' && codes[1] === 'ConditionalCheckFailed') {
        const fresh = await getParticipant(participantId, true);
        if (fresh && !fresh.erasure && (fresh.linksVersion ?? 0) !== (before.linksVersion ?? 0)) {
          before = fresh;
          return AGAIN;
        }
      }
      if (codes) throw new Unauthorized(USED);
      throw err;
    }
  }, { attempts: 4, exhausted: () => new Conflict('Employers were linked repeatedly while the address changed; follow the link again.', { reason: 'concurrent-update' }) });
  logger.info('e-mail change: address confirmed', { participantId });
  // Tell the previous address, unless it is the one mail does not reach (or the same, re-confirmed).
  if (previous && fold(previous) !== fold(email) && !before.emailUndeliverable) {
    await sendEmail(emailChangedNoticeEmail({ to: previous, language: before.language, name: displayName(before) })).catch((err: unknown) =>
      // The change stands; only the courtesy notice is lost.
      logger.warn('e-mail change: notice to the previous address not sent', { participantId, error: (err as Error)?.name }),
    );
  }
  return { participantId };
}
