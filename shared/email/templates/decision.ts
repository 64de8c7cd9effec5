import { esc, page } from '../html';
import type { Email } from '../send';
import { dutchDate } from '../../domain/dates';
import { lastValidDay } from '../../domain/periods';
import type { Decision } from '../../domain/recognition';

export interface DecisionMail {
  to: string;
  /** The provider's or employer's name. */
  name: string;
  requestId: string;
  title: string;
  decision: Decision;
  reason?: string;
  /** Approval only. */
  activityId?: string;
  points?: number;
  recognizedFrom?: string;
  /** Exclusive, as the API carries it; the mail names the last day of recognition. */
  recognizedUntil?: string;
}

const pointsNl = (p: number) => `${String(p).replace('.', ',')} ${p === 1 ? 'punt' : 'punten'}`;

/**
 * The e-mail to the submitter on each decision (Dutch: providers and employers carry no language
 * preference). It names the request, the decision and, for a rejection or a change request, the
 * admin's reason; an approval names the activity id to credit completions against.
 */
export function decisionEmail(m: DecisionMail): Email {
  const reasonText = m.reason ? `\nToelichting van de beoordelaar:\n${m.reason}\n` : '';
  const reasonHtml = m.reason
    ? `<h2 style="font-size: 1.1em;">Toelichting van de beoordelaar</h2>\n<p style="white-space: pre-line;">${esc(m.reason)}</p>`
    : '';
  const ref = `Aanvraagnummer: ${m.requestId}`;
  let subject: string;
  let lead: string;
  let next: string;
  if (m.decision === 'approved') {
    subject = `Erkenning toegekend: ${m.title}`;
    lead = `Je aanvraag voor PE-erkenning van "${m.title}" is goedgekeurd. De activiteit levert ${pointsNl(m.points ?? 0)} op en is erkend van ${dutchDate(m.recognizedFrom!)} tot en met ${dutchDate(lastValidDay(m.recognizedUntil!))}.`;
    next = `Gebruik activiteitnummer ${m.activityId} wanneer je afrondingen van deelnemers meldt.`;
  } else if (m.decision === 'rejected') {
    subject = `Erkenning afgewezen: ${m.title}`;
    lead = `Je aanvraag voor PE-erkenning van "${m.title}" is afgewezen.`;
    next = 'Je kunt voor deze activiteit een nieuwe aanvraag indienen.';
  } else {
    subject = `Aanpassing gevraagd: ${m.title}`;
    lead = `Voordat we je aanvraag voor PE-erkenning van "${m.title}" kunnen beoordelen, vragen we je om aanpassingen.`;
    next = 'Pas de aanvraag aan en dien dezelfde aanvraag opnieuw in; daarna beoordelen we haar opnieuw.';
  }
  const text = `Beste ${m.name},

${lead}
${reasonText}
${next}

${ref}

PE-register`;
  const html = page(
    'nl',
    subject,
    `<p>Beste ${esc(m.name)},</p>
<p>${esc(lead)}</p>
${reasonHtml}
<p>${esc(next)}</p>
<p>${esc(ref)}</p>`,
  );
  return { to: m.to, subject, text, html, language: 'nl' };
}
