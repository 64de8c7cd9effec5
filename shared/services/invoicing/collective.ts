import type { Actor } from '../../data/audit';
import { auditPut } from '../../data/audit';
import { ensureDebtorNumber, getEmployer } from '../../data/organisations';
import { markFeeInvoiced, payerMonthFees, priced, type Fee } from '../../data/fees';
import type { TariffSchedule } from '../../data/tariffs';
import { getInvoice, getRunGuard, runGuardPut, setFeesMarked, stableId, type StoredInvoice } from '../../data/invoices';
import { buyerPeppolId } from '../../domain/peppol';
import type { DocumentReference } from '../../invoices/model';
import { todayInAmsterdam } from '../../dates';
import { auditSummary, clock, issue, linesFor, monthPeriod, newDocument, type RunOptions } from './documents';
import type { Delivery } from './deliver';
import { renderAndDeliver } from './render';
import { EMPLOYER, INVOICE } from '../../data/keys';

/*
 * The monthly collective invoice of one employer: the invoicing worker's unit of work (worker.ts),
 * so it renders and delivers in-process (render.ts).
 */

export type EmployerOutcome =
  | { outcome: 'issued' | 'resumed' | 'already-done'; invoiceId: string; invoiceNumber: string; delivery: Delivery | 'done'; untariffed: number }
  | { outcome: 'no-fees'; untariffed: number };
type PartOutcome = Exclude<EmployerOutcome, { outcome: 'no-fees' }> & { billed: string[]; issuedOn: string };

/**
 * The invoices of one employer for one month: issued once, their fees marked, and delivered — or,
 * when one exists (an earlier or concurrent run), whatever of that is still missing.
 *
 * Part 1 is the monthly invoice. A fee of that month that is still open after it — one that had no
 * tariff then and has one now, or one started after an early run (an `asOf` before the month
 * ended) — goes on a supplementary invoice (part 2, 3, …) when the month is run again, so no fee is
 * ever left unbilled. Each part has its own guard and number; the fees already on earlier parts
 * (read from those invoices, not from the eventually consistent fee index) are never billed again.
 * A supplementary invoice says so and names part 1, the month's first invoice.
 * `untariffed` counts the open fees that still have no tariff.
 */
export async function invoiceEmployerMonth(month: string, employerId: string, tariffs: TariffSchedule, opts?: RunOptions): Promise<EmployerOutcome> {
  const billed = new Set<string>();
  let latest: PartOutcome | undefined;
  let first: DocumentReference | undefined;
  for (let part = 1; ; part++) {
    const existing = await getRunGuard(month, employerId, part);
    const step = existing ? await complete(existing, month, employerId, opts) : await issuePart(month, employerId, part, tariffs, billed, first, opts);
    if (step.outcome === 'no-fees') {
      if (!latest) return step;
      const { billed: _lines, issuedOn: _on, ...outcome } = latest;
      return { ...outcome, untariffed: step.untariffed };
    }
    // This call issued a part: every open fee it could price is on it, so the month is done.
    if (step.outcome === 'issued') {
      const { billed: _lines, issuedOn: _on, ...outcome } = step;
      return outcome;
    }
    // An existing part (completed if needed): look at the next one for fees it does not carry.
    for (const id of step.billed) billed.add(id);
    first ??= { invoiceId: step.invoiceId, invoiceNumber: step.invoiceNumber, issuedOn: step.issuedOn };
    latest = step;
  }
}

async function issuePart(
  month: string,
  employerId: string,
  part: number,
  tariffs: TariffSchedule,
  billed: ReadonlySet<string>,
  /** Part 1, which every later part supplements. */
  first: DocumentReference | undefined,
  opts?: RunOptions,
): Promise<PartOutcome | { outcome: 'no-fees'; untariffed: number }> {
  const payer = { type: 'employer' as const, id: employerId };
  const fees = await payerMonthFees(month, payer);
  const billable = fees.filter((f) => f.status === 'open' && !billed.has(f.registrationId)).map((f) => priced(f, tariffs));
  const pricedFees = billable.filter((f): f is NonNullable<typeof f> => Boolean(f));
  const untariffed = billable.length - pricedFees.length;
  if (!pricedFees.length) return { outcome: 'no-fees', untariffed };

  const employer = await getEmployer(employerId);
  if (!employer) throw new Error(`Fees billed to unknown employer ${employerId}`);
  const actor: Actor = { role: 'system', id: 'monthly-invoices' };
  // Employers admitted before debtor numbers get theirs now (atomically: one number, however many runs).
  const debtorNumber = employer.debtorNumber ?? (await ensureDebtorNumber(employerId, actor));
  if (!debtorNumber) throw new Error(`Fees billed to unknown employer ${employerId}`);
  const peppolId = buyerPeppolId(employer);
  const now = clock(opts);
  const draft = newDocument({
    invoiceId: stableId('inv', `collective#${month}#${employerId}${part > 1 ? `#${part}` : ''}`),
    kind: 'collective',
    issuedOn: todayInAmsterdam(now),
    period: monthPeriod(month),
    customer: {
      type: 'employer',
      id: employerId,
      name: employer.name,
      email: employer.invoiceEmail,
      street: employer.address.street,
      postalCode: employer.address.postalCode,
      city: employer.address.city,
      country: employer.address.country,
      kvkNumber: employer.kvkNumber,
      vatNumber: employer.vatNumber,
      debtorNumber,
      ...(peppolId ? { peppolId } : {}),
    },
    // What the buyer's accounts payable matches on: its own reference, else its debtor number.
    buyerReference: employer.buyerReference ?? debtorNumber,
    eInvoice: peppolId ? 'peppol-bis-3' : 'en16931',
    lines: await linesFor(pricedFees),
    supplements: part > 1 ? first : undefined,
  });
  const written = await issue(
    draft,
    { payer, month },
    (invoiceId) => runGuardPut(month, employerId, part, invoiceId, now),
    (inv) => [
      auditPut(INVOICE(inv.invoiceId), { actor, action: 'invoice.issued', after: auditSummary(inv) }, now),
      auditPut(EMPLOYER(employerId), { actor, action: 'invoice.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv) } }, now),
    ],
    now,
  );
  // A concurrent run issued this part first: complete that one instead.
  if (written.status === 'exists') return complete((await getRunGuard(month, employerId, part))!, month, employerId, opts);
  await markFees(written.invoice, pricedFees);
  const delivery = await renderAndDeliver(written.invoice.invoiceId, opts);
  return {
    outcome: 'issued',
    invoiceId: written.invoice.invoiceId,
    invoiceNumber: written.invoice.invoiceNumber,
    delivery,
    untariffed,
    billed: written.invoice.lines.map((l) => l.registrationId),
    issuedOn: written.invoice.issuedOn,
  };
}

async function complete(invoiceId: string, month: string, employerId: string, opts?: RunOptions): Promise<PartOutcome> {
  const inv = await getInvoice(invoiceId);
  if (!inv) throw new Error(`Run guard ${month}/${employerId} names a missing invoice ${invoiceId}`);
  const billed = inv.lines.map((l) => l.registrationId);
  if (inv.feesMarked && (inv.status === 'sent' || inv.status === 'unaddressed')) {
    return { outcome: 'already-done', invoiceId, invoiceNumber: inv.invoiceNumber, delivery: 'done', untariffed: 0, billed, issuedOn: inv.issuedOn };
  }
  await markFees(inv, await payerMonthFees(month, { type: 'employer', id: employerId }));
  const delivery = inv.status === 'sent' || inv.status === 'unaddressed' ? 'done' : await renderAndDeliver(invoiceId, opts);
  return { outcome: 'resumed', invoiceId, invoiceNumber: inv.invoiceNumber, delivery, untariffed: 0, billed, issuedOn: inv.issuedOn };
}

/** Marks a document's fees invoiced (idempotent), then the header's `feesMarked`. */
async function markFees(inv: StoredInvoice, fees: Fee[]) {
  if (inv.feesMarked || inv.documentType !== 'invoice') return;
  const byId = new Map(fees.map((f) => [f.registrationId, f]));
  const pending = inv.lines.map((l) => {
    const fee = byId.get(l.registrationId);
    // The price the invoice charged is what an untariffed fee is priced at.
    const asBilled = fee ? { ...fee, amountCents: l.netCents, vatRatePercent: l.vatRatePercent } : undefined;
    return asBilled ?? ({ registrationId: l.registrationId, untariffed: false } as Fee);
  });
  for (let i = 0; i < pending.length; i += 25) {
    await Promise.all(pending.slice(i, i + 25).map((f) => markFeeInvoiced(f, inv.invoiceId)));
  }
  await setFeesMarked(inv.invoiceId);
}

