import { esc, page } from '../html';
import { emailLinks } from '../links';
import type { Email } from '../send';
import { daysBetween } from '../../domain/dates';
import type { NoticeKind } from '../../domain/notices';
import { lastValidDay } from '../../domain/periods';
import { formatDate, formatPoints, messages, type Language } from '../../i18n';
import type { Amount } from '../../i18n/nl';

/**
 * The expiry notices (90, 30 and 7 days before the end, and the lapse notice) for participants,
 * Dutch by default and English when they chose it, and the monthly digest for employers (Dutch:
 * employers carry no language preference). Text and HTML alternatives say the same. They name the
 * last valid day ("geldig tot en met"), never the exclusive `endsOn` a reader takes for one more day.
 * Links: the catalogue from `asOf` on (points missing), the dossier (renew), the activation form
 * (lapsed); the digest links to the employer's report through sign-in (shared/email/links.ts).
 */
export interface NoticeMail {
  to: string;
  language: Language;
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
}

const h2 = (text: string) => `<h2 style="font-size: 1.1em;">${esc(text)}</h2>`;
const p = (text: string) => `<p>${esc(text)}</p>`;
const link = (href: string, text: string) => `<p><a href="${esc(href)}">${esc(text)}</a></p>`;
const amount = (lang: Language, n: number): Amount => ({ value: n, shown: formatPoints(lang, n) });

/** One of the four notices for a participant. */
export function noticeEmail(m: NoticeMail): Email {
  return m.kind === 'lapsed' ? lapse(m) : expiry(m);
}

function expiry(m: NoticeMail): Email {
  const lang = m.language;
  const t = messages(lang).email;
  const c = t.expiry;
  const date = formatDate(lang, lastValidDay(m.endsOn));
  // Days it is still valid, today included.
  const days = Math.max(0, daysBetween(m.asOf, m.endsOn));
  const missing = Math.max(0, m.pointsRequired - m.pointsEarned);
  const short = missing > 0;
  return expiryLayout(m.to, lang, {
    subject: short ? c.subjectMissing(date, amount(lang, missing)) : c.subjectRenew(date),
    greeting: t.greeting(m.name),
    lead: c.lead(m.title, date, days),
    points: `${c.earned(amount(lang, m.pointsEarned), m.pointsRequired)} ${short ? c.missing(amount(lang, missing)) : c.complete}`,
    pointsHeading: c.pointsHeading,
    todoHeading: short ? c.todoHeading : c.renewHeading,
    todo: short ? [c.todo(date), c.warning(m.pointsRequired, date)] : [c.renew(date)],
    href: short ? emailLinks.catalogue(m.asOf) : emailLinks.dossier(),
    linkText: short ? c.catalogueLink : c.renewLink,
    signature: t.signature,
  });
}

/** The expiry notice's text and HTML from its sentences, the same layout in both languages. */
function expiryLayout(
  to: string,
  language: Language,
  c: { subject: string; greeting: string; lead: string; points: string; pointsHeading: string; todoHeading: string; todo: string[]; href: string; linkText: string; signature: string },
): Email {
  const text = `${c.greeting}

${c.lead}

${c.points}

${c.todo[0]}
${c.linkText}: ${c.href}
${c.todo[1] ? `\n${c.todo[1]}\n` : ''}
${c.signature}`;
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

/** The lapse notice: what lapsed, that the diploma stays valid, and how to register again. */
function lapse(m: NoticeMail): Email {
  const lang = m.language;
  const t = messages(lang).email;
  const c = t.lapse;
  const href = emailLinks.activate();
  const greeting = t.greeting(m.name);
  const what = c.what(m.title, formatDate(lang, m.startsOn), formatDate(lang, lastValidDay(m.endsOn)));
  const text = `${greeting}

${what}

${c.diploma}

${c.how}
${c.linkText}: ${href}

${t.signature}`;
  const html = page(
    lang,
    c.subject,
    `<p>${esc(greeting)}</p>
${h2(c.whatHeading)}
${p(what)}
${p(c.diploma)}
${h2(c.howHeading)}
${p(c.how)}
${link(href, c.linkText)}`,
  );
  return { to: m.to, subject: c.subject, text, html, language: lang };
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
  /** Dutch unless said otherwise: employers carry no language preference. */
  language?: Language;
  employerName: string;
  /** `yyyy-mm` */
  month: string;
  asOf: string;
  employees: DigestEmployee[];
  /** Employees on a learning plan with requirements open (issue 16 part 2), by name. */
  plans?: DigestPlanEmployee[];
}

/** An employee's open learning-plan requirements, as the digest names them. */
export interface DigestPlanEmployee {
  name: string;
  registrationNumber: string;
  planName: string;
  open: { topic: string; topicName: string; kind: 'period' | 'deadline'; before?: string; reason?: string }[];
}

/**
 * The monthly digest: one e-mail per employer listing its linked employees whose period ends
 * within 90 days with points missing, soonest first.
 */
export function employerDigestEmail(m: EmployerDigestMail): Email {
  const lang = m.language ?? 'nl';
  const t = messages(lang).email;
  const c = t.digest;
  const date = (iso: string) => formatDate(lang, iso);
  const employees = [...m.employees].sort((a, b) => a.endsOn.localeCompare(b.endsOn) || a.name.localeCompare(b.name));
  const n = employees.length;
  // `2026-03` → `maart 2026`: the date of the 1st in words, without the day.
  const monthText = date(`${m.month}-01`).replace(/^1 /, '');
  const plans = planSection(lang, m.plans ?? [], m.asOf);
  // Only learning plans to report (nobody at risk): the digest is about them alone.
  if (!n && plans) return plansOnlyDigest(m, lang, monthText, plans);
  const subject = c.subject(monthText, n);
  const lead = c.lead(n, date(m.asOf));
  const href = emailLinks.employerReport();
  const lines = employees.map(
    (e) => `- ${c.line(e.name, e.registrationNumber, date(lastValidDay(e.endsOn)), amount(lang, e.pointsEarned), amount(lang, e.pointsMissing))}`,
  );
  const text = `${t.greeting(m.employerName)}

${lead}

${lines.join('\n')}

${c.why}

${c.linkText}: ${href}
${plans ? `\n${plans.text}\n` : ''}
${t.signature}`;
  const rows = employees
    .map(
      (e) =>
        `<tr><th scope="row">${esc(e.name)}</th><td>${esc(e.registrationNumber)}</td><td>${esc(date(lastValidDay(e.endsOn)))}</td><td>${esc(formatPoints(lang, e.pointsEarned))}</td><td>${esc(formatPoints(lang, e.pointsMissing))}</td></tr>`,
    )
    .join('\n');
  const col = c.columns;
  const html = page(
    lang,
    subject,
    `<p>${esc(t.greeting(m.employerName))}</p>
${p(lead)}
${h2(c.tableHeading)}
<table style="border-collapse: collapse; text-align: left;">
<caption style="text-align: left;">${esc(c.caption)}</caption>
<thead><tr>${[col.name, col.registrationNumber, col.lastValidDay, col.earned, col.missing].map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${p(c.why)}
${link(href, c.linkText)}
${plans?.html ?? ''}`,
  );
  return { to: m.to, subject, text, html, language: lang };
}

/** The digest's learning-plan part (text and HTML), or undefined when no one has anything open. */
function planSection(lang: Language, plans: readonly DigestPlanEmployee[], asOf: string): { text: string; html: string; count: number } | undefined {
  if (!plans.length) return undefined;
  const c = messages(lang).learningPlans.digest;
  const date = (iso: string) => formatDate(lang, iso);
  // `before` is exclusive: the mail names the last day that still counts, like the page does.
  const item = (o: DigestPlanEmployee['open'][number]) =>
    o.kind === 'period'
      ? c.periodItem(o.topic, o.topicName)
      : o.before! <= asOf
        ? c.overdueItem(o.topic, o.topicName, date(lastValidDay(o.before!)), o.reason ?? '')
        : c.deadlineItem(o.topic, o.topicName, date(lastValidDay(o.before!)), o.reason ?? '');
  const href = emailLinks.learningPlans();
  const lines = plans.map((e) => `- ${c.line(e.name, e.registrationNumber, e.planName)}\n${e.open.map((o) => `    - ${item(o)}`).join('\n')}`);
  const text = `${c.heading}

${c.lead(plans.length, date(asOf))}

${lines.join('\n')}

${c.why}

${c.linkText}: ${href}`;
  const col = c.columns;
  const rows = plans
    .map(
      (e) =>
        `<tr><th scope="row">${esc(e.name)}</th><td>${esc(e.registrationNumber)}</td><td>${esc(e.planName)}</td><td><ul>${e.open.map((o) => `<li>${esc(item(o))}</li>`).join('')}</ul></td></tr>`,
    )
    .join('\n');
  const html = `${h2(c.heading)}
${p(c.lead(plans.length, date(asOf)))}
<table style="border-collapse: collapse; text-align: left;">
<caption style="text-align: left;">${esc(c.caption)}</caption>
<thead><tr>${[col.name, col.registrationNumber, col.plan, col.open].map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${p(c.why)}
${link(href, c.linkText)}`;
  return { text, html, count: plans.length };
}

function plansOnlyDigest(m: EmployerDigestMail, lang: Language, monthText: string, plans: { text: string; html: string; count: number }): Email {
  const t = messages(lang).email;
  const subject = messages(lang).learningPlans.digest.subject(monthText, plans.count);
  const text = `${t.greeting(m.employerName)}

${plans.text}

${t.signature}`;
  const html = page(lang, subject, `<p>${esc(t.greeting(m.employerName))}</p>
${plans.html}`);
  return { to: m.to, subject, text, html, language: lang };
}
