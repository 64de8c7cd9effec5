import { esc, page } from '../html';
import { emailLinks } from '../links';
import type { Email } from '../send';
import { messages, type Language } from '../../i18n';

export interface EmailChangeMail {
  /** The NEW address: the mail proves that its reader holds it. */
  to: string;
  language: Language;
  name: string;
  /** The one-time token the link carries (`/dossier/e-mailadres?token=`). */
  token: string;
  validHours: number;
}

/** Issue 16 part 5: the confirmation of a new address, sent to that address, with the one-time link. */
export function emailChangeConfirmationEmail(m: EmailChangeMail): Email {
  const t = messages(m.language);
  const c = t.deliverability.email;
  const link = emailLinks.emailChange(m.token);
  const text = `${t.email.greeting(m.name)}

${c.confirmLead}

${link}

${c.confirmValidity(m.validHours)}

${c.confirmNotYou}

${t.email.signature}`;
  const html = page(
    m.language,
    c.confirmSubject,
    `<p>${esc(t.email.greeting(m.name))}</p>
<p>${esc(c.confirmLead)}</p>
<p><a href="${esc(link)}">${esc(c.confirmLinkText)}</a></p>
<p>${esc(c.confirmValidity(m.validHours))}</p>
<p>${esc(c.confirmNotYou)}</p>`,
  );
  return { to: m.to, subject: c.confirmSubject, text, html, language: m.language };
}

/** To the PREVIOUS address once a new one is confirmed: it was changed (no link: nothing to do there). */
export function emailChangedNoticeEmail(m: { to: string; language: Language; name: string }): Email {
  const t = messages(m.language);
  const c = t.deliverability.email;
  const text = `${t.email.greeting(m.name)}

${c.changedLead}

${c.changedNotYou}

${t.email.signature}`;
  const html = page(m.language, c.changedSubject, `<p>${esc(t.email.greeting(m.name))}</p>
<p>${esc(c.changedLead)}</p>
<p>${esc(c.changedNotYou)}</p>`);
  return { to: m.to, subject: c.changedSubject, text, html, language: m.language };
}
