import { esc, page, sentence, strong } from '../html';
import { emailLinks } from '../links';
import type { Email } from '../send';
import { formatDate, formatPoints, messages, type Language } from '../../i18n';
import { POINTS_REQUIRED, lastValidDay } from '../../domain/periods';

export interface CreditsMail {
  to: string;
  language: Language;
  name: string;
  credited: { activityTitle: string; points: number; completedOn: string }[];
  pointsEarned: number;
  pointsMissing: number;
  /** The period's end, exclusive as the API carries it; the mail names the last valid day. */
  endsOn: string;
}

/** One e-mail per batch and participant: what was credited and the new total, with a link to the dossier. */
export function creditsEmail(m: CreditsMail): Email {
  const lang = m.language;
  const t = messages(lang).email;
  const c = t.credits;
  const amount = (n: number) => ({ value: n, shown: formatPoints(lang, n) });
  const date = (iso: string) => formatDate(lang, iso);
  const subject = c.subject(amount(m.pointsEarned));
  const lines = m.credited.map((x) => c.line(x.activityTitle, amount(x.points), date(x.completedOn)));
  const status = m.pointsMissing > 0 ? c.missing(amount(m.pointsMissing), date(lastValidDay(m.endsOn))) : c.complete(POINTS_REQUIRED);
  const total = sentence(c.total, strong(t.points(amount(m.pointsEarned))));
  const link = emailLinks.dossier();
  const text = `${t.greeting(m.name)}\n\n${c.lead}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n\n${total.text} ${status}\n\n${c.dossier}: ${link}\n\n${t.signature}`;
  const html = page(lang, subject, `<p>${esc(t.greeting(m.name))}</p><p>${esc(c.lead)}</p>
<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<p>${total.html} ${esc(status)}</p>
<p><a href="${esc(link)}">${esc(c.linkText)}</a></p>`);
  return { to: m.to, subject, text, html, language: lang };
}
