/**
 * Every e-mail template rendered with sample data: both languages and every variant (notices 90,
 * 30 and 7 days with and without points missing, the lapse notice, the employer digest, credits,
 * each recognition decision, invoices and credit notes, activation, sign-in). Links are built at render
 * time from PUBLIC_BASE_URL: set it before calling. A new template gets its samples here
 * (test/unit/email-links.test.ts fails on a template without any).
 */
import type { Email } from '../../shared/email/send';
import { activationEmail } from '../../shared/email/templates/activation';
import { creditsEmail } from '../../shared/email/templates/credits';
import { decisionEmail } from '../../shared/email/templates/decision';
import { invoiceEmail } from '../../shared/email/templates/invoice';
import { employerDigestEmail, noticeEmail, type NoticeMail } from '../../shared/email/templates/notices';
import { signInEmail } from '../../shared/email/templates/sign-in';
import { invitationEmail } from '../../shared/email/templates/invitation';
import { emailChangeConfirmationEmail, emailChangedNoticeEmail } from '../../shared/email/templates/email-change';
import { emailLinks } from '../../shared/email/links';
import { LANGUAGES } from '../../shared/i18n';
import { invoiceDocument, invoiceLine } from './invoice-fixtures';

export interface EmailSample {
  template: string;
  variant: string;
  mail: Email;
  /** The page routes the mail links to (in text and HTML alike). */
  pages: string[];
}

export function emailSamples(): EmailSample[] {
  const out: EmailSample[] = [];
  const add = (template: string, variant: string, mail: Email, linked: string[]) => out.push({ template, variant, mail, pages: linked });
  const attachments = (n: number) => Array.from({ length: n }, (_, i) => ({ filename: `doc${i}.pdf`, contentType: 'application/pdf', content: Buffer.from('%PDF') }));
  const participant = { type: 'participant' as const, id: 'par_1', name: 'M. de Vries', country: 'NL' };
  const corrects = { invoiceId: 'inv_0', invoiceNumber: 'PE-2027-000001', issuedOn: '2027-01-01' };

  for (const language of LANGUAGES) {
    // Issue 16 part 5: the confirmation of a new address (its one-time link) and the notice to the previous one (no link).
    add('emailChangeConfirmationEmail', language, emailChangeConfirmationEmail({ to: 'nieuw@example.nl', language, name: 'M. de Vries', token: 'tok_change', validHours: 24 }), ['page-email-change-confirm']);
    add('emailChangedNoticeEmail', language, emailChangedNoticeEmail({ to: 'oud@example.nl', language, name: 'M. de Vries' }), []);
    // The sign-in links come from the service (one per dossier of the address), built by emailLinks as it does.
    for (const n of [1, 2]) {
      const links = Array.from({ length: n }, (_, i) => ({ label: `M. de Vries (PE-ABC12${i})`, url: emailLinks.signInLink(`tok_sign_${i}`) }));
      add('signInEmail', `${language}, ${n} dossier(s)`, signInEmail({ to: 'a@example.nl', language, links, validMinutes: 15 }), ['page-sign-in']);
    }
    for (const organisation of ['Flex Uitzend BV', undefined]) {
      add('invitationEmail', `${language}, ${organisation ? 'organisation' : 'staff'}`, invitationEmail({
        to: 'a@example.nl', language, name: 'A. Jansen', organisation, url: emailLinks.invitation('tok_inv_1'), signInUrl: emailLinks.signIn(), validDays: 7,
      }), ['page-sign-in']);
    }
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
    }), ['page-employer-report']);
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
