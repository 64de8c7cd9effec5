import { feesMonthPk, fromFeeItem, type FeePayer } from '../data/fees';
import { getInvoice, listPayerInvoices, type StoredInvoice } from '../data/invoices';
import { NotFound } from '../domain/errors';
import { getParticipant } from '../data/participants';
import { mayActFor, type Caller } from './access';
import { indexPage, type PageRequest } from '../data/paging';

/**
 * Reading invoices and fees: what the read routes need, without the issuing and rendering code
 * (`invoicing.ts`), so their bundles stay small.
 */

/** The document if the caller may see it: the admin, the invoiced employer, the participant itself; else 404. */
export async function invoiceFor(caller: Caller | undefined, invoiceId: string): Promise<StoredInvoice> {
  const inv = await getInvoice(invoiceId);
  const visible =
    inv &&
    caller &&
    mayActFor(caller, { role: inv.payer.type, id: inv.payer.id });
  if (!visible) throw new NotFound('No invoice with this id.');
  return inv;
}

export function invoiceView(inv: StoredInvoice) {
  return {
    invoiceId: inv.invoiceId,
    invoiceNumber: inv.invoiceNumber,
    documentType: inv.documentType,
    kind: inv.kind,
    issuedOn: inv.issuedOn,
    ...(inv.dueOn ? { dueOn: inv.dueOn } : {}),
    period: inv.period,
    customer: {
      type: inv.customer.type,
      id: inv.customer.id,
      name: inv.customer.name,
      ...(inv.customer.kvkNumber ? { kvkNumber: inv.customer.kvkNumber } : {}),
      ...(inv.customer.vatNumber ? { vatNumber: inv.customer.vatNumber } : {}),
      ...(inv.customer.debtorNumber ? { debtorNumber: inv.customer.debtorNumber } : {}),
    },
    buyerReference: inv.buyerReference,
    lines: inv.lines.map((l) => ({
      registrationNumber: l.registrationNumber,
      name: l.name,
      kind: l.kind,
      startsOn: l.startsOn,
      endsOn: l.endsOn,
      netCents: l.netCents,
      vatRatePercent: l.vatRatePercent,
    })),
    vatBreakdown: inv.vatBreakdown,
    netCents: inv.netCents,
    vatCents: inv.vatCents,
    totalCents: inv.totalCents,
    status: inv.status,
    ...(inv.sentAt ? { sentAt: inv.sentAt } : {}),
    ...(inv.corrects ? { corrects: inv.corrects, reason: inv.reason } : {}),
    ...(inv.supplements ? { supplements: inv.supplements } : {}),
  };
}

/** One document in a list: what the invoice lists (API and pages) show of it. */
export function invoiceSummary(inv: StoredInvoice) {
  return {
    invoiceId: inv.invoiceId,
    invoiceNumber: inv.invoiceNumber,
    documentType: inv.documentType,
    period: inv.period,
    issuedOn: inv.issuedOn,
    ...(inv.dueOn ? { dueOn: inv.dueOn } : {}),
    lineCount: inv.lineCount,
    netCents: inv.netCents,
    vatCents: inv.vatCents,
    totalCents: inv.totalCents,
    status: inv.status,
    ...(inv.corrects ? { corrects: inv.corrects.invoiceId } : {}),
  };
}
export type InvoiceSummary = ReturnType<typeof invoiceSummary>;

/**
 * A participant's own invoices (the periods it paid itself, and their credit notes) are for the
 * participant itself and the admin only: an employer does not see them, another participant
 * neither. The API's list and the dossier page both ask this.
 */
export function seesOwnInvoices(caller: Caller | undefined, participantId: string): boolean {
  return mayActFor(caller, { role: 'participant', id: participantId });
}

/** The participant whose own invoices the caller asks for: itself, or the admin for one that exists; anyone else the 404 of a missing one. */
export async function ownInvoicesHolder(caller: Caller | undefined, participantId: string): Promise<void> {
  if (!seesOwnInvoices(caller, participantId)) throw new NotFound('No participant with this id.');
  if (caller!.ownerId !== participantId && !(await getParticipant(participantId))) throw new NotFound('No participant with this id.');
}

/** A payer's (employer's or participant's) invoices and credit notes, newest first, one page. */
export async function listInvoicesOf(payer: FeePayer, paging: PageRequest) {
  const page = await listPayerInvoices(payer, paging.limit, paging.start);
  return {
    items: page.items.map(invoiceSummary),
    ...(page.lastKey ? { nextCursor: paging.next(page.lastKey) } : {}),
  };
}

export async function listMonthFees(month: string, paging: PageRequest) {
  const res = await indexPage({ index: 'gsi2', pk: feesMonthPk(month), limit: paging.limit, start: paging.start });
  return {
    items: res.items.map(fromFeeItem),
    ...(res.lastKey ? { nextCursor: paging.next(res.lastKey) } : {}),
  };
}

