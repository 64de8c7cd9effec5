import { messages } from '../../i18n';
import { esc, page } from '../html';
import type { Email } from '../send';

export interface InvitationMail {
  to: string;
  language: 'nl' | 'en';
  /** The invited user's name. */
  name: string;
  /** The organisation they were invited to; undefined for the register's staff. */
  organisation?: string;
  /** The one-time sign-in link (carrying `token=`). */
  url: string;
  /** Where to ask for a new link later (the sign-in form). */
  signInUrl: string;
  validDays: number;
}

/** The invitation of a new user (shared/services/users.ts): a one-time sign-in link. Texts from the `users` section. */
export function invitationEmail(m: InvitationMail): Email {
  const t = messages(m.language).users;
  const subject = t.mailSubject(m.organisation ?? messages(m.language).site.name);
  const intro = m.organisation ? t.mailIntro(m.organisation) : t.mailIntroStaff;
  const signature = messages(m.language).email.signature;
  const text = [t.mailGreeting(m.name), intro, `${t.mailLink}:\n${m.url}`, `${t.mailValidity(m.validDays)}\n${m.signInUrl}`, t.mailIgnore, signature].join('\n\n');
  const html = page(
    m.language,
    subject,
    `<p>${esc(t.mailGreeting(m.name))}</p>
<p>${esc(intro)}</p>
<p><a href="${esc(m.url)}">${esc(t.mailLink)}</a></p>
<p>${esc(t.mailValidity(m.validDays))} <a href="${esc(m.signInUrl)}">${esc(m.signInUrl)}</a></p>
<p>${esc(t.mailIgnore)}</p>`,
  );
  return { to: m.to, subject, text, html, language: m.language };
}
