import { esc, page } from '../html';
import { emailLinks } from '../links';
import type { Email } from '../send';
import { messages, type Language } from '../../i18n';

export interface ActivationMail {
  to: string;
  language: Language;
  name: string;
  /** The one-time token the link carries (`/activeren?token=`). */
  token: string;
  validDays: number;
}

/** The activation e-mail: the one-time link, Dutch by default. */
export function activationEmail(m: ActivationMail): Email {
  const t = messages(m.language).email;
  const c = t.activation;
  const link = emailLinks.activation(m.token);
  const text = `${t.greeting(m.name)}

${c.lead}

${link}

${c.validity(m.validDays)}

${t.signature}`;
  const html = page(m.language, c.subject, `<p>${esc(t.greeting(m.name))}</p>
<p>${esc(c.leadHtml)}</p>
<p><a href="${esc(link)}">${esc(c.linkText)}</a></p>
<p>${esc(c.validity(m.validDays))}</p>`);
  return { to: m.to, subject: c.subject, text, html, language: m.language };
}
