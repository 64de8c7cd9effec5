import { esc, page } from '../html';
import type { Email } from '../send';
import { dutchDate, englishDate } from '../../domain/dates';
import { lastValidDay } from '../../domain/periods';

export interface CreditsMail {
  to: string;
  language: 'nl' | 'en';
  name: string;
  credited: { activityTitle: string; points: number; completedOn: string }[];
  pointsEarned: number;
  pointsMissing: number;
  /** The period's end, exclusive as the API carries it; the mail names the last valid day. */
  endsOn: string;
  dossierUrl: string;
}

const nlPoints = (n: number) => n.toLocaleString('nl-NL', { maximumFractionDigits: 2 });
const enPoints = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** One e-mail per batch and participant: what was credited and the new total. */
export function creditsEmail(m: CreditsMail): Email {
  if (m.language === 'en') {
    const subject = `PE points credited: you now have ${enPoints(m.pointsEarned)} points`;
    const lines = m.credited.map((c) => `- ${c.activityTitle}: ${enPoints(c.points)} points (completed ${englishDate(c.completedOn)})`);
    const status = m.pointsMissing > 0
      ? `You need ${enPoints(m.pointsMissing)} more points; your registration is valid until and including ${englishDate(lastValidDay(m.endsOn))}.`
      : 'You have the 12 points you need: you can renew your registration now.';
    const text = `Dear ${m.name},\n\nNew points were credited to your PE registration:\n\n${lines.join('\n')}\n\nYour total for this period: ${enPoints(m.pointsEarned)} points. ${status}\n\nYour dossier: ${m.dossierUrl}\n\nPE-register`;
    const html = page('en', subject, `<p>Dear ${esc(m.name)},</p><p>New points were credited to your PE registration:</p>
<ul>${m.credited.map((c) => `<li>${esc(c.activityTitle)}: ${esc(enPoints(c.points))} points (completed ${esc(englishDate(c.completedOn))})</li>`).join('')}</ul>
<p>Your total for this period: <strong>${esc(enPoints(m.pointsEarned))} points</strong>. ${esc(status)}</p>
<p><a href="${esc(m.dossierUrl)}">Open your dossier</a></p>`);
    return { to: m.to, subject, text, html, language: 'en' };
  }
  const subject = `PE-punten bijgeschreven: je hebt nu ${nlPoints(m.pointsEarned)} punten`;
  const lines = m.credited.map((c) => `- ${c.activityTitle}: ${nlPoints(c.points)} punten (afgerond op ${dutchDate(c.completedOn)})`);
  const status = m.pointsMissing > 0
    ? `Je hebt nog ${nlPoints(m.pointsMissing)} punten nodig; je registratie is geldig tot en met ${dutchDate(lastValidDay(m.endsOn))}.`
    : 'Je hebt de 12 benodigde punten: je kunt je registratie nu verlengen.';
  const text = `Beste ${m.name},\n\nEr zijn punten bijgeschreven op je PE-registratie:\n\n${lines.join('\n')}\n\nJe totaal in deze periode: ${nlPoints(m.pointsEarned)} punten. ${status}\n\nJe dossier: ${m.dossierUrl}\n\nPE-register`;
  const html = page('nl', subject, `<p>Beste ${esc(m.name)},</p><p>Er zijn punten bijgeschreven op je PE-registratie:</p>
<ul>${m.credited.map((c) => `<li>${esc(c.activityTitle)}: ${esc(nlPoints(c.points))} punten (afgerond op ${esc(dutchDate(c.completedOn))})</li>`).join('')}</ul>
<p>Je totaal in deze periode: <strong>${esc(nlPoints(m.pointsEarned))} punten</strong>. ${esc(status)}</p>
<p><a href="${esc(m.dossierUrl)}">Open je dossier</a></p>`);
  return { to: m.to, subject, text, html, language: 'nl' };
}
