import { fromFeeItem, monthFeePages, priced, type Fee } from '../../data/fees';
import { loadTariffs } from '../../data/tariffs';
import { outbox } from '../../data/invoices';
import { monthOf } from './documents';

/* Dry runs of the invoicing jobs, and the selection they share with the real runs. */

/** The month's open fees (one pass over its index partition): per employer, and the participants' own. */
export async function openFeesOf(month: string): Promise<{ employers: Map<string, Fee[]>; participantFees: Fee[] }> {
  const employers = new Map<string, Fee[]>();
  const participantFees: Fee[] = [];
  for await (const page of monthFeePages(month)) {
    for (const item of page.items) {
      if (item.status !== 'open') continue;
      const fee = fromFeeItem(item);
      if (fee.payer.type !== 'employer') participantFees.push(fee);
      else if (employers.has(fee.payer.id)) employers.get(fee.payer.id)!.push(fee);
      else employers.set(fee.payer.id, [fee]);
    }
  }
  return { employers, participantFees };
}

export type InvoicePlanItem =
  | { type: 'delivery'; invoiceId: string }
  | { type: 'individual-invoice'; participantId: string; registrationId: string }
  | { type: 'employer-invoice'; employerId: string; month: string; fees: number; untariffed: number };

/**
 * What `monthly-invoices` as of `asOf` would do, from the same selection (the outbox, the month's
 * open fees, the tariffs), reading only: no number, no invoice, no claim, no e-mail, no enqueue.
 * An employer whose open fees all lack a tariff gets no invoice (they are counted in `untariffedFees`).
 */
export async function planMonthlyInvoices(asOf: string) {
  const month = monthOf(asOf);
  const tariffs = await loadTariffs();
  const backlog = await outbox();
  const { employers, participantFees } = await openFeesOf(month);
  const items: InvoicePlanItem[] = backlog.map((invoiceId) => ({ type: 'delivery', invoiceId }));
  let untariffedFees = 0;
  let individualInvoices = 0;
  for (const fee of participantFees) {
    if (!priced(fee, tariffs)) untariffedFees++;
    else {
      individualInvoices++;
      items.push({ type: 'individual-invoice', participantId: fee.participantId, registrationId: fee.registrationId });
    }
  }
  let employerInvoices = 0;
  for (const [employerId, fees] of [...employers].sort(([a], [b]) => a.localeCompare(b))) {
    const untariffed = fees.filter((f) => !priced(f, tariffs)).length;
    untariffedFees += untariffed;
    if (untariffed === fees.length) continue;
    employerInvoices++;
    items.push({ type: 'employer-invoice', employerId, month, fees: fees.length - untariffed, untariffed });
  }
  return {
    job: 'monthly-invoices' as const,
    asOf,
    month,
    deliveries: backlog.length,
    employers: employers.size,
    openFees: [...employers.values()].reduce((a, b) => a + b.length, 0),
    invoices: employerInvoices,
    individualInvoices,
    untariffedFees,
    items,
  };
}

/** What `invoice-mails` would send now: the outbox, read only. */
export async function planInvoiceMails(asOf: string) {
  const backlog = await outbox();
  return { job: 'invoice-mails' as const, asOf, pending: backlog.length, items: backlog.map((invoiceId) => ({ type: 'delivery' as const, invoiceId })) };
}

