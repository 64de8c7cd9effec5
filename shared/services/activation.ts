import { getDiploma, getParticipant, displayName, type Participant } from '../data/participants';
import { createActivationToken, TOKEN_VALID_DAYS } from '../data/tokens';
import { activationEmail } from '../email/templates/activation';
import { sendEmail } from '../email/send';
import { config } from '../config';
import { logger } from '../log';

/*
 * Activation e-mails, apart from the participant reads so that the dossier, renewal and register
 * bundles do not carry the SES client and the MIME builder.
 */

/**
 * Asks for an activation e-mail. The caller always gets the same answer; only on a match of
 * diploma number and birth date does an e-mail go out — to the address on file when there is
 * one, else to the given one.
 */
export async function requestActivation(input: { diplomaNumber: string; birthDate: string; email: string; language?: 'nl' | 'en' }): Promise<void> {
  const diploma = await getDiploma(input.diplomaNumber);
  const participant = diploma ? await getParticipant(diploma.participantId as string) : undefined;
  if (!participant || participant.birthDate !== input.birthDate) {
    logger.info('activation requested without a match');
    return;
  }
  const language = input.language ?? participant.language;
  const to = participant.email ?? input.email;
  try {
    await sendActivation(participant, to, language);
  } catch (err) {
    // A failure here happens only on a match: answering it (a 500) would tell the caller that the
    // diploma number and birth date belong together. The caller gets the usual answer and may ask
    // again; the operators see the error in the log.
    logger.error('activation e-mail not sent', { participantId: participant.participantId, error: err as Error });
  }
}

export async function sendActivation(participant: Participant, to: string, language: 'nl' | 'en', employerId?: string): Promise<void> {
  const token = await createActivationToken({ participantId: participant.participantId, email: to, language, employerId });
  const link = `${config.publicBaseUrl}/activeren?token=${encodeURIComponent(token)}`;
  await sendEmail(activationEmail({ to, language, name: displayName(participant), link, validDays: TOKEN_VALID_DAYS }));
}

