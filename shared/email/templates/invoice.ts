import { esc, page } from '../html';
import type { Attachment, Email } from '../send';
import { formatEuro } from '../../domain/invoice-math';
import { dutchDate, englishDate } from '../../domain/dates';
import { deliveryPeriod, documentTitle, type InvoiceDocument } from '../../invoices/model';

/**
 * The e-mail that carries an invoice or credit note: the PDF (and, for employers, the UBL
 * e-invoice) attached. Dutch; an individual participant who chose English gets English.
 */
export function invoiceEmail(m: { to: string; doc: InvoiceDocument; attachments: Attachment[]; language?: 'nl' | 'en' }): Email {
  const { doc } = m;
  const name = doc.customer.name;
  // What the fee pays for: a renewal bought today covers a period that starts later.
  const covers = deliveryPeriod(doc);
  if (m.language === 'en') {
    const what = documentTitle(doc, 'en').toLowerCase();
    const subject = `${documentTitle(doc, 'en')} ${doc.invoiceNumber} — PE-register`;
    const supplement = doc.supplements ? `It supplements invoice ${doc.supplements.invoiceNumber} of ${englishDate(doc.supplements.issuedOn)}.` : '';
    const due = doc.dueOn ? `Please pay within ${doc.supplier.paymentTermDays} days, by ${englishDate(doc.dueOn)}, to IBAN ${doc.supplier.iban}, quoting ${doc.invoiceNumber}.` : '';
    const text = `Dear ${name},

Attached is ${what} ${doc.invoiceNumber} of ${englishDate(doc.issuedOn)} for your PE registration from ${englishDate(covers.from)} to ${englishDate(covers.to)}: ${formatEuro(doc.totalCents)} including VAT.${supplement ? ` ${supplement}` : ''}
${due}

${doc.supplier.name}`;
    const html = page('en', subject, `<p>Dear ${esc(name)},</p>
<p>Attached is ${what} <strong>${esc(doc.invoiceNumber)}</strong> of ${esc(englishDate(doc.issuedOn))} for your PE registration from ${esc(englishDate(covers.from))} to ${esc(englishDate(covers.to))}: <strong>${esc(formatEuro(doc.totalCents))}</strong> including VAT.${supplement ? ` ${esc(supplement)}` : ''}</p>
${due ? `<p>${esc(due)}</p>` : ''}`);
    return { to: m.to, subject, text, html, attachments: m.attachments, language: 'en' };
  }
  const what = documentTitle(doc).toLowerCase();
  const subject = `${documentTitle(doc)} ${doc.invoiceNumber} — PE-register`;
  const supplement = doc.supplements ? `Deze factuur is een aanvulling op factuur ${doc.supplements.invoiceNumber} van ${dutchDate(doc.supplements.issuedOn)}.` : '';
  const about =
    doc.kind === 'collective'
      ? `de registratiekosten van uw medewerkers over ${dutchDate(doc.period.from)} t/m ${dutchDate(doc.period.to)} (${doc.lines.length} ${doc.lines.length === 1 ? 'registratie' : 'registraties'})`
      : `je PE-registratie van ${dutchDate(covers.from)} t/m ${dutchDate(covers.to)}`;
  const due = doc.dueOn
    ? `${doc.kind === 'collective' ? 'Wij verzoeken u' : 'We vragen je'} het bedrag binnen ${doc.supplier.paymentTermDays} dagen, uiterlijk ${dutchDate(doc.dueOn)}, over te maken op IBAN ${doc.supplier.iban} onder vermelding van ${doc.invoiceNumber}.`
    : `Deze creditnota corrigeert factuur ${doc.corrects?.invoiceNumber ?? ''}.`;
  const attached = `de ${what} als PDF${m.attachments.length > 1 ? ' en als e-factuur (UBL)' : ''}`;
  const greeting = doc.kind === 'collective' ? 'Geachte heer/mevrouw' : `Beste ${name}`;
  const text = `${greeting},

Bijgaand ${what} ${doc.invoiceNumber} van ${dutchDate(doc.issuedOn)} voor ${about}: ${formatEuro(doc.totalCents)} inclusief btw.${supplement ? ` ${supplement}` : ''}
${due}

In de bijlage vind${doc.kind === 'collective' ? 't u' : ' je'} ${attached}.

${doc.supplier.name}`;
  const html = page('nl', subject, `<p>${esc(greeting)},</p>
<p>Bijgaand ${what} <strong>${esc(doc.invoiceNumber)}</strong> van ${esc(dutchDate(doc.issuedOn))} voor ${esc(about)}: <strong>${esc(formatEuro(doc.totalCents))}</strong> inclusief btw.${supplement ? ` ${esc(supplement)}` : ''}</p>
<p>${esc(due)}</p>
<p>In de bijlage vind${doc.kind === 'collective' ? 't u' : ' je'} ${esc(attached)}.</p>`);
  return { to: m.to, subject, text, html, attachments: m.attachments, language: 'nl' };
}
