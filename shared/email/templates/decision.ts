import { esc, page } from '../html';
import type { Email } from '../send';
import { formatDate, formatPoints, messages, type Language } from '../../i18n';
import { lastValidDay } from '../../domain/periods';
import type { Decision } from '../../domain/recognition';

export interface DecisionMail {
  to: string;
  /** Dutch unless said otherwise: providers and employers carry no language preference. */
  language?: Language;
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

/**
 * The e-mail to the submitter on each decision. It names the request, the decision and, for a
 * rejection or a change request, the admin's reason; an approval names the activity id to credit
 * completions against. It links nowhere: the providers' pages are not there yet.
 */
export function decisionEmail(m: DecisionMail): Email {
  const lang = m.language ?? 'nl';
  const t = messages(lang).email;
  const c = t.decision;
  const reasonText = m.reason ? `\n${c.reasonHeading}:\n${m.reason}\n` : '';
  const reasonHtml = m.reason
    ? `<h2 style="font-size: 1.1em;">${esc(c.reasonHeading)}</h2>\n<p style="white-space: pre-line;">${esc(m.reason)}</p>`
    : '';
  const ref = c.reference(m.requestId);
  let subject: string;
  let lead: string;
  let next: string;
  if (m.decision === 'approved') {
    const points = m.points ?? 0;
    subject = c.approved.subject(m.title);
    lead = c.approved.lead(m.title, { value: points, shown: formatPoints(lang, points) }, formatDate(lang, m.recognizedFrom!), formatDate(lang, lastValidDay(m.recognizedUntil!)));
    next = c.approved.next(m.activityId!);
  } else {
    const d = m.decision === 'rejected' ? c.rejected : c.changesRequested;
    subject = d.subject(m.title);
    lead = d.lead(m.title);
    next = d.next;
  }
  const text = `${t.greeting(m.name)}

${lead}
${reasonText}
${next}

${ref}

${t.signature}`;
  const html = page(
    lang,
    subject,
    `<p>${esc(t.greeting(m.name))}</p>
<p>${esc(lead)}</p>
${reasonHtml}
<p>${esc(next)}</p>
<p>${esc(ref)}</p>`,
  );
  return { to: m.to, subject, text, html, language: lang };
}
