import { messages } from '../../i18n';
import { esc, page } from '../html';
import type { Email } from '../send';

export interface SignInMail {
  to: string;
  language: 'nl' | 'en';
  /** One per account the address belongs to: what it is (a dossier's name and number) and its one-time link. */
  links: { label: string; url: string }[];
  validMinutes: number;
}

/**
 * The sign-in e-mail: one one-time link (carrying `token=`) per account of the address, each
 * named, so a holder of several dossiers chooses. Texts from the `signIn` section of the catalogue.
 */
export function signInEmail(m: SignInMail): Email {
  const t = messages(m.language).signIn;
  const subject = t.mailSubject;
  const intro = m.links.length === 1 ? t.mailIntroOne : t.mailIntroMany;
  const text = [
    t.mailGreeting,
    intro,
    m.links.map((l) => `${t.mailLink(l.label)}:\n${l.url}`).join('\n\n'),
    t.mailValidity(m.validMinutes),
    t.mailIgnore,
    t.mailSignature,
  ].join('\n\n');
  const items = m.links.map((l) => `<li><a href="${esc(l.url)}">${esc(t.mailLink(l.label))}</a></li>`).join('\n');
  const html = page(
    m.language,
    subject,
    `<p>${esc(t.mailGreeting)}</p>
<p>${esc(intro)}</p>
<ul>
${items}
</ul>
<p>${esc(t.mailValidity(m.validMinutes))}</p>
<p>${esc(t.mailIgnore)}</p>`,
  );
  return { to: m.to, subject, text, html, language: m.language };
}
