/**
 * Every link in every e-mail template (issue 14.5): each template is rendered in both languages
 * and every variant, every `href` of its HTML and every URL of its text part is taken out, and
 * each must point at a page of the web — `PUBLIC_BASE_URL`'s origin, a path a GET page route of
 * shared/routes.ts serves (matched as the gateway matches, without the 404 catch-all). A template
 * that gains a link to a page that does not exist, the API or another host fails here; a new
 * template without samples below fails the coverage check. test/e2e/email-links.e2e.test.ts
 * follows the links of the mails the local stack sends.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Email } from '../../shared/email/send';
import { activationEmail } from '../../shared/email/templates/activation';
import { creditsEmail } from '../../shared/email/templates/credits';
import { decisionEmail } from '../../shared/email/templates/decision';
import { invoiceEmail } from '../../shared/email/templates/invoice';
import { employerDigestEmail, noticeEmail, type NoticeMail } from '../../shared/email/templates/notices';
import { LANGUAGES } from '../../shared/i18n';
import { invoiceDocument, invoiceLine } from '../setup/invoice-fixtures';
import { linksOf, pageOf } from '../setup/email-links';

const BASE = 'https://web.pe-register.example';

interface Sample {
  template: string;
  variant: string;
  mail: Email;
  /** The page routes the mail links to (in text and HTML alike). */
  pages: string[];
}

function samples(): Sample[] {
  const out: Sample[] = [];
  const add = (template: string, variant: string, mail: Email, linked: string[]) => out.push({ template, variant, mail, pages: linked });
  const attachments = (n: number) => Array.from({ length: n }, (_, i) => ({ filename: `doc${i}.pdf`, contentType: 'application/pdf', content: Buffer.from('%PDF') }));
  const participant = { type: 'participant' as const, id: 'par_1', name: 'M. de Vries', country: 'NL' };
  const corrects = { invoiceId: 'inv_0', invoiceNumber: 'PE-2027-000001', issuedOn: '2027-01-01' };

  for (const language of LANGUAGES) {
    add('activationEmail', `${language}`, activationEmail({ to: 'a@example.nl', language, name: 'M. de Vries', token: 'tok_Ab-9_x', validDays: 30 }), ['page-activation']);
    for (const missing of [8, 0]) {
      add('creditsEmail', `${language}, ${missing} missing`, creditsEmail({
        to: 'a@example.nl', language, name: 'M. de Vries', credited: [{ activityTitle: 'Arbeidsrecht', points: 2, completedOn: '2026-05-04' }],
        pointsEarned: 12 - missing, pointsMissing: missing, endsOn: '2026-12-20',
      }), ['page-dossier']);
    }
    const notice: NoticeMail = {
      to: 'a@example.nl', language, kind: '90', name: 'J.P. de Vries', title: 'Register-Uitzendprofessional', asOf: '2026-12-01',
      startsOn: '2025-03-01', endsOn: '2027-03-01', pointsEarned: 4.5, pointsRequired: 12,
    };
    for (const [kind, asOf] of [['90', '2026-12-01'], ['30', '2027-01-30'], ['7', '2027-02-22']] as const) {
      add('noticeEmail', `${language}, ${kind} days, points missing`, noticeEmail({ ...notice, kind, asOf }), ['page-catalogue']);
      add('noticeEmail', `${language}, ${kind} days, 12 points`, noticeEmail({ ...notice, kind, asOf, pointsEarned: 12 }), ['page-dossier']);
    }
    add('noticeEmail', `${language}, lapsed, points missing`, noticeEmail({ ...notice, kind: 'lapsed', asOf: '2027-03-01' }), ['page-activation']);
    add('noticeEmail', `${language}, lapsed, 12 points`, noticeEmail({ ...notice, kind: 'lapsed', asOf: '2027-03-01', pointsEarned: 12 }), ['page-activation']);
    add('employerDigestEmail', `${language}`, employerDigestEmail({
      to: 'hr@example.nl', language, employerName: 'Flex & Co', month: '2027-01', asOf: '2027-01-01',
      employees: [{ name: 'A. Jansen', registrationNumber: 'PE-AAAAAA', endsOn: '2027-02-10', pointsEarned: 8.25, pointsMissing: 3.75 }],
    }), ['page-sign-in']);
    for (const decision of ['approved', 'rejected', 'changes-requested'] as const) {
      add('decisionEmail', `${language}, ${decision}`, decisionEmail({
        to: 'x@opleider.example', language, name: 'Opleider BV', requestId: 'req_1', title: 'Arbeidsrecht', decision,
        reason: decision === 'approved' ? undefined : 'Regel 1\nRegel 2', activityId: 'act_1', points: 2.5,
        recognizedFrom: '2026-01-15', recognizedUntil: '2028-01-15',
      }), []);
    }
    const individual = invoiceDocument([invoiceLine(1)], { kind: 'individual', customer: participant, eInvoice: 'en16931' });
    add('invoiceEmail', `${language}, individual invoice`, invoiceEmail({ to: 'a@example.nl', doc: individual, attachments: attachments(1), language }), []);
    add('invoiceEmail', `${language}, supplementary invoice`, invoiceEmail({ to: 'a@example.nl', doc: { ...individual, supplements: corrects }, attachments: attachments(1), language }), []);
    add('invoiceEmail', `${language}, individual credit note`, invoiceEmail({
      to: 'a@example.nl', doc: invoiceDocument([invoiceLine(1, { netCents: -4995 })], { kind: 'individual', customer: participant, documentType: 'credit-note', dueOn: undefined, corrects }), attachments: attachments(1), language,
    }), []);
    add('invoiceEmail', `${language}, collective invoice`, invoiceEmail({ to: 'f@example.nl', doc: invoiceDocument([invoiceLine(1), invoiceLine(2)]), attachments: attachments(2), language }), []);
    add('invoiceEmail', `${language}, collective credit note`, invoiceEmail({
      to: 'f@example.nl', doc: invoiceDocument([invoiceLine(1, { netCents: -4995 })], { documentType: 'credit-note', dueOn: undefined, corrects }), attachments: attachments(2), language,
    }), []);
  }
  return out;
}

describe('links in e-mails', () => {
  const before = process.env.PUBLIC_BASE_URL;
  let all: Sample[];
  beforeAll(() => {
    // A base unlike the default, so a link built from anything but PUBLIC_BASE_URL shows.
    process.env.PUBLIC_BASE_URL = BASE;
    all = samples();
  });
  afterAll(() => {
    if (before === undefined) delete process.env.PUBLIC_BASE_URL;
    else process.env.PUBLIC_BASE_URL = before;
  });

  it('has samples of every template in shared/email/templates', async () => {
    const dir = new URL('../../shared/email/templates/', import.meta.url);
    const exported: string[] = [];
    for (const file of readdirSync(dir).filter((f) => /\.tsx?$/.test(f))) {
      const mod = (await import(new URL(file, dir).href)) as Record<string, unknown>;
      exported.push(...Object.keys(mod).filter((k) => typeof mod[k] === 'function' && /Email$/.test(k)).map((k) => `${file}: ${k}`));
    }
    const sampled = new Set(all.map((s) => s.template));
    expect(exported.filter((e) => !sampled.has(e.split(': ')[1])), 'templates without samples in test/unit/email-links.test.ts').toEqual([]);
    expect(exported.length).toBeGreaterThanOrEqual(6);
  });

  it('links only to pages of the web, on PUBLIC_BASE_URL (both languages, every variant)', () => {
    const problems: string[] = [];
    for (const s of all) {
      const { html, text } = linksOf(s.mail);
      const linked = (links: string[], part: string) =>
        links.flatMap((l) => {
          const page = pageOf(l, BASE);
          if ('error' in page) {
            problems.push(`${s.template} (${s.variant}, ${part}): ${page.error}`);
            return [];
          }
          return [page.id];
        });
      const htmlPages = [...new Set(linked(html, 'html'))].sort();
      const textPages = [...new Set(linked(text, 'text'))].sort();
      // Text and HTML alternatives link to the same pages: those the variant is meant to.
      if (JSON.stringify(htmlPages) !== JSON.stringify([...s.pages].sort()) || JSON.stringify(textPages) !== JSON.stringify([...s.pages].sort())) {
        problems.push(`${s.template} (${s.variant}): links to [${htmlPages}] (html), [${textPages}] (text); expected [${s.pages}]`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('carries what the page needs in the link: the token, the catalogue date, the page to return to', () => {
    const link = (template: string, variant: string) => linksOf(all.find((s) => s.template === template && s.variant === variant)!.mail).html[0];
    expect(link('activationEmail', 'nl')).toBe(`${BASE}/activeren?token=tok_Ab-9_x`);
    expect(link('noticeEmail', 'en, 30 days, points missing')).toBe(`${BASE}/scholingskalender?from=2027-01-30`);
    expect(link('noticeEmail', 'nl, 7 days, 12 points')).toBe(`${BASE}/dossier`);
    expect(link('noticeEmail', 'nl, lapsed, points missing')).toBe(`${BASE}/activeren`);
    expect(link('employerDigestEmail', 'nl')).toBe(`${BASE}/inloggen?next=%2Fwerkgever%2Frapportage`);
  });

  it('the check itself: refuses a page that does not exist, the API, another host, a relative link', () => {
    expect(pageOf(`${BASE}/dossier`, BASE)).toEqual({ id: 'page-dossier' });
    expect(pageOf(`${BASE}/register/PE-ABC123`, BASE)).toEqual({ id: 'page-register-entry' });
    expect(pageOf(`${BASE}/dosier`, BASE)).toHaveProperty('error');
    expect(pageOf(`${BASE}/werkgever/rapportage`, BASE)).toHaveProperty('error');
    expect(pageOf(`${BASE}/v1/participants/par_1`, BASE)).toHaveProperty('error');
    expect(pageOf('https://pe-register.nl/dossier', BASE)).toHaveProperty('error');
    expect(pageOf(`${BASE.replace('https', 'http')}/dossier`, BASE)).toHaveProperty('error');
    expect(pageOf('/dossier', BASE)).toHaveProperty('error');
    // Extraction finds links in both parts, escaped or not.
    expect(linksOf({ text: `Zie ${BASE}/a?b=1&c=2.`, html: `<a href="${BASE}/x?y=1&amp;z=2">x</a> ${BASE}/z` })).toEqual({
      html: [`${BASE}/x?y=1&z=2`, `${BASE}/z`],
      text: [`${BASE}/a?b=1&c=2`],
    });
  });
});
