import { getDiploma, getParticipant, displayName, type Participant } from '../data/participants';
import { createActivationToken, TOKEN_VALID_DAYS } from '../data/tokens';
import { createActivationClaim } from '../data/activation-claims';
import { activationEmail } from '../email/templates/activation';
import { sendEmail } from '../email/send';
import { ActivationRequestSchema, type ActivationRequest } from '../schemas/participants';
import { logger } from '../log';
import { afterAnswer, whenAnswersIdle } from './after-answer';

/*
 * Activation requests (SPEC: Accounts), apart from the participant reads so that the dossier,
 * renewal and register bundles do not carry the SES client and the MIME builder.
 *
 * The request is answered before anything is looked up: the answer is the same whether or not the
 * diploma number and birth date belong together, in content and in time, because the match is made
 * afterwards — by the `activation-requests` worker from an SQS queue in the cloud, in-process right
 * after the answer locally.
 */

export type ActivationOutcome = 'no-match' | 'mailed' | 'claimed' | 'claim-pending';

/**
 * Queues an activation request for matching after the answer (shared/services/after-answer.ts:
 * SQS in the cloud, in-process locally).
 */
export async function enqueueActivation(input: ActivationRequest): Promise<void> {
  const message = JSON.stringify({ diplomaNumber: input.diplomaNumber, birthDate: input.birthDate, email: input.email, language: input.language });
  await afterAnswer(message, activationRequestMessage, 'activation request');
}

/** Resolves once the local queue has worked off everything queued so far — activation and sign-in requests (tests, before asserting that nothing happened). */
export const whenActivationsIdle = whenAnswersIdle;

/** The worker's unit of work: one queued request. A malformed message throws (it ends in the dead-letter queue). */
export async function activationRequestMessage(body: string): Promise<ActivationOutcome> {
  const parsed = ActivationRequestSchema.safeParse(JSON.parse(body));
  if (!parsed.success) throw Object.assign(new Error('Malformed activation request message'), { name: 'MalformedMessage' });
  return matchActivation(parsed.data);
}

/**
 * The match, after the answer. No match: nothing. A match with an address on file (imported,
 * or supplied by an employer): the activation e-mail goes there, never to the given address. A
 * match without one: an activation claim for the staff, the given address the claimed one —
 * nothing is mailed to it until they approve. Throws when the e-mail or the claim could not be
 * written, so the queue retries it.
 */
export async function matchActivation(input: ActivationRequest): Promise<ActivationOutcome> {
  const diploma = await getDiploma(input.diplomaNumber);
  const participant = diploma ? await getParticipant(diploma.participantId as string) : undefined;
  // An erasing profile (its diploma item not yet gone) matches nothing either.
  if (!participant || participant.erasure || participant.birthDate !== input.birthDate) {
    logger.info('activation requested without a match');
    return 'no-match';
  }
  const language = input.language ?? participant.language;
  if (participant.email) {
    await sendActivation(participant, participant.email, language);
    logger.info('activation e-mail sent to the address on file', { participantId: participant.participantId });
    return 'mailed';
  }
  const claim = await createActivationClaim({
    participantId: participant.participantId,
    // Not erasing (refused above), so the profile still holds its number.
    diplomaNumber: participant.diplomaNumber!,
    name: displayName(participant),
    email: input.email,
    language,
  });
  logger.info(claim ? 'activation claim queued for the staff' : 'activation claim already pending', {
    participantId: participant.participantId,
    ...(claim ? { claimId: claim.claimId } : {}),
  });
  return claim ? 'claimed' : 'claim-pending';
}

export async function sendActivation(participant: Participant, to: string, language: 'nl' | 'en', employerId?: string): Promise<void> {
  const token = await createActivationToken({ participantId: participant.participantId, email: to, language, employerId });
  await sendEmail(activationEmail({ to, language, name: displayName(participant), token, validDays: TOKEN_VALID_DAYS }));
}
