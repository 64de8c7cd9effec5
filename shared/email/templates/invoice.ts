import { esc, page, sentence, strong } from '../html';
import type { Attachment, Email } from '../send';
import { formatDate, formatMoney, messages, type Language } from '../../i18n';
import { deliveryPeriod, documentTitle, type InvoiceDocument } from '../../invoices/model';

/**
 * The e-mail that carries an invoice or credit note: the PDF (and, for employers, the UBL
 * e-invoice) attached. Dutch; an individual participant who chose English gets English.
 * An employer's administration is addressed with "u", a participant with "je".
 */
export function invoiceEmail(m: { to: string; doc: InvoiceDocument; attachments: Attachment[]; language?: Language }): Email {
  const { doc } = m;
  const lang = m.language ?? 'nl';
  const t = messages(lang).email;
  const c = t.invoice;
  const date = (iso: string) => formatDate(lang, iso);
  const collective = doc.kind === 'collective';
  const what = documentTitle(doc, lang);
  const subject = c.subject(what, doc.invoiceNumber);
  // What the fee pays for: a renewal bought today covers a period that starts later.
  const covers = deliveryPeriod(doc);
  const about = collective ? c.aboutCollective(date(doc.period.from), date(doc.period.to), doc.lines.length) : c.aboutIndividual(date(covers.from), date(covers.to));
  const lead = sentence(c.lead, what, strong(doc.invoiceNumber), date(doc.issuedOn), about, strong(formatMoney(lang, doc.totalCents / 100)));
  const supplement = doc.supplements ? ` ${c.supplement(doc.supplements.invoiceNumber, date(doc.supplements.issuedOn))}` : '';
  const due = doc.dueOn
    ? (collective ? c.dueCollective : c.dueIndividual)(doc.supplier.paymentTermDays, date(doc.dueOn), doc.supplier.iban, doc.invoiceNumber)
    : c.corrects(doc.corrects?.invoiceNumber ?? '');
  const attached = (collective ? c.attachedCollective : c.attachedIndividual)(what, m.attachments.length > 1);
  const greeting = collective ? c.greetingCollective : t.greeting(doc.customer.name);
  const text = `${greeting}

${lead.text}${supplement}
${due}

${attached}

${doc.supplier.name}`;
  const html = page(lang, subject, `<p>${esc(greeting)}</p>
<p>${lead.html}${esc(supplement)}</p>
<p>${esc(due)}</p>
<p>${esc(attached)}</p>`);
  return { to: m.to, subject, text, html, attachments: m.attachments, language: lang };
}
