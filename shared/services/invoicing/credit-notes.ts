import { auditPut, type Actor } from '../../data/audit';
import { participantPk } from '../../data/participants';
import { creditGuardPut, getCreditGuard, getInvoice, stableId } from '../../data/invoices';
import { invoiceTotals } from '../../domain/invoice-math';
import type { InvoiceDocument } from '../../invoices/model';
import { config } from '../../config';
import { todayInAmsterdam } from '../../dates';
import { Conflict, NotFound } from '../../domain/errors';
import { auditSummary, clock, issue, type RunOptions } from './documents';
import { requestDelivery } from './fan-out';
import { EMPLOYER, INVOICE } from '../../data/keys';

/** Credits an invoice in full: a credit note with every line negated, referencing it. */
export async function createCreditNote(invoiceId: string, reason: string, actor: Actor, opts?: RunOptions) {
  const original = await getInvoice(invoiceId);
  if (!original) throw new NotFound('No invoice with this id.');
  if (original.documentType !== 'invoice') throw new Conflict('A credit note cannot be credited.', { reason: 'not-an-invoice' });
  const existing = await getCreditGuard(invoiceId);
  if (existing) throw new Conflict('This invoice has already been credited.', { reason: 'already-credited', creditNoteId: existing });
  const now = clock(opts);
  const lines = original.lines.map((l) => ({ ...l, netCents: -l.netCents }));
  const draft: Omit<InvoiceDocument, 'invoiceNumber'> = {
    invoiceId: stableId('inv', `credit#${invoiceId}`),
    documentType: 'credit-note',
    kind: original.kind,
    issuedOn: todayInAmsterdam(now),
    period: original.period,
    supplier: config.supplier,
    customer: original.customer,
    buyerReference: original.buyerReference,
    ...(original.eInvoice ? { eInvoice: original.eInvoice } : {}),
    lines,
    ...invoiceTotals(lines),
    corrects: { invoiceId, invoiceNumber: original.invoiceNumber, issuedOn: original.issuedOn },
    reason,
  };
  const written = await issue(
    draft,
    { payer: original.payer, month: original.month, language: original.language },
    (creditNoteId) => creditGuardPut(invoiceId, creditNoteId, now),
    (inv) => [
      auditPut(INVOICE(inv.invoiceId), { actor, action: 'credit-note.issued', after: { ...auditSummary(inv), corrects: draft.corrects, reason } }, now),
      auditPut(INVOICE(invoiceId), { actor, action: 'invoice.credited', detail: { creditNoteId: inv.invoiceId, creditNoteNumber: inv.invoiceNumber, reason } }, now),
      ...(original.payer.type === 'participant'
        ? [auditPut(participantPk(original.payer.id), { actor, action: 'credit-note.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv), reason } }, now)]
        : [auditPut(EMPLOYER(original.payer.id), { actor, action: 'credit-note.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv), reason } }, now)]),
    ],
    now,
  );
  if (written.status === 'exists') {
    throw new Conflict('This invoice has already been credited.', { reason: 'already-credited', creditNoteId: await getCreditGuard(invoiceId) });
  }
  const delivery = await requestDelivery(written.invoice.invoiceId, opts);
  return { invoice: written.invoice, delivery };
}

