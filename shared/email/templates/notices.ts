import { esc, page } from '../html';
import type { Email } from '../send';
import { daysBetween, dutchDate, englishDate } from '../../domain/dates';
import type { NoticeKind } from '../../domain/notices';
import { lastValidDay } from '../../domain/periods';

/**
 * The expiry notices (90, 30 and 7 days before the end, and the lapse notice) for participants,
 * Dutch by default and English when they chose it, and the monthly digest for employers (Dutch:
 * employers carry no language preference). Text and HTML alternatives say the same. They name the
 * last valid day ("geldig tot en met"), never the exclusive `endsOn` a reader takes for one more day.
 */
export interface NoticeMail {
  to: string;
  language: 'nl' | 'en';
  kind: NoticeKind;
  name: string;
  /** The register title the period carries (Register-Uitzendprofessional, …). */
  title: string;
  asOf: string;
  startsOn: string;
  /** Exclusive, as the API carries it; the mail names the day before. */
  endsOn: string;
  pointsEarned: number;
  pointsRequired: number;
  /** The catalogue, filtered to sessions from `asOf` on. */
  catalogueUrl: string;
  /** Where the participant renews (the dossier). */
  renewUrl: string;
  /** Where a lapsed participant asks for an activation e-mail (re-activation). */
  reactivateUrl: string;
}

const nlNumber = (n: number) => String(n).replace('.', ',');
const nlPoints = (n: number) => `${nlNumber(n)} ${n === 1 ? 'punt' : 'punten'}`;
const enPoints = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;
const nlDays = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagen'}`;
const enDays = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const h2 = (text: string) => `<h2 style="font-size: 1.1em;">${esc(text)}</h2>`;
const p = (text: string) => `<p>${esc(text)}</p>`;
const link = (href: string, text: string) => `<p><a href="${esc(href)}">${esc(text)}</a></p>`;

/** One of the four notices for a participant. */
export function noticeEmail(m: NoticeMail): Email {
  if (m.kind === 'lapsed') return m.language === 'en' ? lapseEn(m) : lapseNl(m);
  return m.language === 'en' ? expiryEn(m) : expiryNl(m);
}

function missingOf(m: NoticeMail) {
  return Math.max(0, m.pointsRequired - m.pointsEarned);
}

function expiryNl(m: NoticeMail): Email {
  const date = dutchDate(lastValidDay(m.endsOn));
  // Days it is still valid, today included.
  const days = nlDays(Math.max(0, daysBetween(m.asOf, m.endsOn)));
  const missing = missingOf(m);
  const subject = missing > 0 ? `Je PE-registratie is geldig tot en met ${date}: nog ${nlPoints(missing)} nodig` : `Verleng je PE-registratie uiterlijk ${date}`;
  const lead = `Je PE-registratie als ${m.title} is geldig tot en met ${date}, nog ${days}.`;
  const points = `Je hebt in deze periode ${nlPoints(m.pointsEarned)} van de ${m.pointsRequired} behaald. ${
    missing > 0 ? `Er ontbreken nog ${nlPoints(missing)}.` : 'Je hebt alle benodigde punten.'
  }`;
  const todo =
    missing > 0
      ? [
          `Rond uiterlijk ${date} erkende activiteiten af om de ontbrekende punten te halen. In de scholingskalender vind je activiteiten die binnenkort beginnen.`,
          `Met ${m.pointsRequired} punten kun je je registratie verlengen. Zonder verlenging vervalt je registratie na ${date}, en daarmee je titel en je vermelding in het openbare register.`,
        ]
      : [
          `Verleng nu je registratie: de nieuwe periode sluit aan op ${date}, de laatste dag van deze periode, zodat je titel en je vermelding in het openbare register blijven.`,
        ];
  const [href, linkText] = missing > 0 ? [m.catalogueUrl, 'Bekijk komende activiteiten in de scholingskalender'] : [m.renewUrl, 'Verleng mijn PE-registratie'];
  return expiryLayout(m.to, 'nl', {
    subject,
    greeting: `Beste ${m.name},`,
    lead,
    points,
    pointsHeading: 'Je punten',
    todoHeading: missing > 0 ? 'Wat kun je doen?' : 'Verlengen',
    todo,
    href,
    linkText,
  });
}

function expiryEn(m: NoticeMail): Email {
  const date = englishDate(lastValidDay(m.endsOn));
  // Days it is still valid, today included.
  const days = enDays(Math.max(0, daysBetween(m.asOf, m.endsOn)));
  const missing = missingOf(m);
  const subject = missing > 0 ? `Your PE registration is valid until and including ${date}: ${enPoints(missing)} still needed` : `Renew your PE registration by ${date}`;
  const lead = `Your PE registration as ${m.title} is valid until and including ${date}, ${days} left.`;
  const points = `You have earned ${enPoints(m.pointsEarned)} of the ${m.pointsRequired} in this period. ${
    missing > 0 ? `${enPoints(missing)} still missing.` : 'You have all the points you need.'
  }`;
  const todo =
    missing > 0
      ? [
          `Complete recognised activities on or before ${date} to earn the missing points. The catalogue lists activities starting soon.`,
          `With ${m.pointsRequired} points you can renew your registration. Without a renewal it lapses after ${date}, and with it your title and your entry in the public register.`,
        ]
      : [`Renew your registration now: the new period follows on from ${date}, the last day of this one, so you keep your title and your entry in the public register.`];
  const [href, linkText] = missing > 0 ? [m.catalogueUrl, 'See upcoming activities in the catalogue'] : [m.renewUrl, 'Renew my PE registration'];
  return expiryLayout(m.to, 'en', {
    subject,
    greeting: `Dear ${m.name},`,
    lead,
    points,
    pointsHeading: 'Your points',
    todoHeading: missing > 0 ? 'What you can do' : 'Renewing',
    todo,
    href,
    linkText,
  });
}

/** The expiry notice's text and HTML from its sentences, the same layout in both languages. */
function expiryLayout(
  to: string,
  language: 'nl' | 'en',
  c: { subject: string; greeting: string; lead: string; points: string; pointsHeading: string; todoHeading: string; todo: string[]; href: string; linkText: string },
): Email {
  const text = `${c.greeting}

${c.lead}

${c.points}

${c.todo[0]}
${c.linkText}: ${c.href}
${c.todo[1] ? `\n${c.todo[1]}\n` : ''}
PE-register`;
  const html = page(
    language,
    c.subject,
    `<p>${esc(c.greeting)}</p>
${p(c.lead)}
${h2(c.pointsHeading)}
${p(c.points)}
${h2(c.todoHeading)}
${p(c.todo[0])}
${link(c.href, c.linkText)}
${c.todo[1] ? p(c.todo[1]) : ''}`,
  );
  return { to, subject: c.subject, text, html, language };
}

function lapseNl(m: NoticeMail): Email {
  return lapseLayout(m.to, 'nl', m.reactivateUrl, {
    subject: 'Je PE-registratie is verlopen',
    greeting: `Beste ${m.name},`,
    whatHeading: 'Wat is er verlopen?',
    what: `Je PE-registratie als ${m.title} (periode ${dutchDate(m.startsOn)} tot en met ${dutchDate(lastValidDay(m.endsOn))}) was geldig tot en met ${dutchDate(lastValidDay(m.endsOn))} en is verlopen, omdat ze niet is verlengd. Je voert de titel ${m.title} niet meer en je staat niet meer in het openbare register.`,
    diploma: 'Je diploma blijft geldig: dat verloopt niet.',
    howHeading: 'Opnieuw registreren',
    how: 'Wil je weer geregistreerd zijn? Vraag een activeringsmail aan en rond de activering af. Je nieuwe registratieperiode begint op de dag dat je de activering afrondt en duurt twee jaar. Voor de nieuwe periode is registratiegeld verschuldigd.',
    linkText: 'Heractiveer mijn PE-registratie',
  });
}

function lapseEn(m: NoticeMail): Email {
  return lapseLayout(m.to, 'en', m.reactivateUrl, {
    subject: 'Your PE registration has lapsed',
    greeting: `Dear ${m.name},`,
    whatHeading: 'What has lapsed?',
    what: `Your PE registration as ${m.title} (period ${englishDate(m.startsOn)} to ${englishDate(lastValidDay(m.endsOn))}) was valid until and including ${englishDate(lastValidDay(m.endsOn))} and has lapsed because it was not renewed. You no longer hold the title ${m.title} and you are no longer listed in the public register.`,
    diploma: 'Your diploma stays valid: it does not expire.',
    howHeading: 'Registering again',
    how: 'Want to be registered again? Ask for an activation e-mail and complete the activation. Your new registration period starts on the day you complete it and runs for two years. A registration fee is due for the new period.',
    linkText: 'Re-activate my PE registration',
  });
}

/** The lapse notice's text and HTML from its sentences, the same layout in both languages. */
function lapseLayout(
  to: string,
  language: 'nl' | 'en',
  href: string,
  c: { subject: string; greeting: string; whatHeading: string; what: string; diploma: string; howHeading: string; how: string; linkText: string },
): Email {
  const text = `${c.greeting}

${c.what}

${c.diploma}

${c.how}
${c.linkText}: ${href}

PE-register`;
  const html = page(
    language,
    c.subject,
    `<p>${esc(c.greeting)}</p>
${h2(c.whatHeading)}
${p(c.what)}
${p(c.diploma)}
${h2(c.howHeading)}
${p(c.how)}
${link(href, c.linkText)}`,
  );
  return { to, subject: c.subject, text, html, language };
}

// ---------------------------------------------------------------- employer digest

export interface DigestEmployee {
  name: string;
  registrationNumber: string;
  /** Exclusive, as the API carries it; the mail names the day before. */
  endsOn: string;
  pointsEarned: number;
  pointsMissing: number;
}

export interface EmployerDigestMail {
  to: string;
  employerName: string;
  /** `yyyy-mm` */
  month: string;
  asOf: string;
  employees: DigestEmployee[];
  reportUrl: string;
}

/** `2026-03` → `maart 2026`. */
export function dutchMonth(month: string): string {
  return dutchDate(`${month}-01`).replace(/^1 /, '');
}

/**
 * The monthly digest: one e-mail per employer listing its linked employees whose period ends
 * within 90 days with points missing, soonest first.
 */
export function employerDigestEmail(m: EmployerDigestMail): Email {
  const employees = [...m.employees].sort((a, b) => a.endsOn.localeCompare(b.endsOn) || a.name.localeCompare(b.name));
  const n = employees.length;
  const subject = `PE-overzicht ${dutchMonth(m.month)}: ${n} ${n === 1 ? 'medewerker' : 'medewerkers'} met een aflopende registratie`;
  const lead = `Van ${n} van je medewerkers verloopt de PE-registratie binnen 90 dagen, terwijl er nog punten ontbreken (stand van ${dutchDate(m.asOf)}).`;
  const why = 'Een registratie kan alleen worden verlengd met 12 punten. Zonder verlenging vervallen na de laatste geldige dag de titel van je medewerker en diens vermelding in het openbare register.';
  const linkText = 'Bekijk de volledige rapportage van je medewerkers';
  const lines = employees.map(
    (e) => `- ${e.name} (${e.registrationNumber}): geldig tot en met ${dutchDate(lastValidDay(e.endsOn))}, ${nlPoints(e.pointsEarned)} behaald, nog ${nlPoints(e.pointsMissing)} nodig`,
  );
  const text = `Beste ${m.employerName},

${lead}

${lines.join('\n')}

${why}

${linkText}: ${m.reportUrl}

PE-register`;
  const rows = employees
    .map(
      (e) =>
        `<tr><th scope="row">${esc(e.name)}</th><td>${esc(e.registrationNumber)}</td><td>${esc(dutchDate(lastValidDay(e.endsOn)))}</td><td>${esc(nlNumber(e.pointsEarned))}</td><td>${esc(nlNumber(e.pointsMissing))}</td></tr>`,
    )
    .join('\n');
  const html = page(
    'nl',
    subject,
    `<p>Beste ${esc(m.employerName)},</p>
${p(lead)}
${h2('Medewerkers met ontbrekende punten')}
<table style="border-collapse: collapse; text-align: left;">
<caption style="text-align: left;">Registraties die binnen 90 dagen verlopen</caption>
<thead><tr><th scope="col">Naam</th><th scope="col">Registratienummer</th><th scope="col">Geldig tot en met</th><th scope="col">Punten behaald</th><th scope="col">Punten nodig</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${p(why)}
${link(m.reportUrl, linkText)}`,
  );
  return { to: m.to, subject, text, html, language: 'nl' };
}
