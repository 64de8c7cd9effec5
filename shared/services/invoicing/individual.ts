import { auditPut, type Actor } from '../../data/audit';
import { batchGet } from '../../data/batch';
import { participantPk } from '../../data/participants';
import { feeInvoicedUpdate, getFee, priced, type Fee } from '../../data/fees';
import { loadTariffs, type TariffSchedule } from '../../data/tariffs';
import { stableId } from '../../data/invoices';
import { todayInAmsterdam } from '../../dates';
import { logger } from '../../log';
import { auditSummary, clock, issue, linesFor, newDocument, participantCustomer, type RunOptions } from './documents';
import { requestDelivery } from './fan-out';
import { INVOICE } from '../../data/keys';

/*
 * The individual invoice of a participant's own period start (a session, a renewal): issued in the
 * request that started the period, rendered and delivered by the invoicing worker.
 */

/**
 * The one-line invoice of a participant's own period start: issued once per fee (the fee's
 * `invoiceId`, set in the issuing transaction, is the guard) and e-mailed with its PDF.
 */
export async function invoiceParticipantFee(registrationId: string, tariffs?: TariffSchedule, opts?: RunOptions) {
  const fee = await getFee(registrationId);
  if (!fee || fee.payer.type !== 'participant') return { outcome: 'not-billable' as const };
  if (fee.invoiceId) {
    const delivery = await requestDelivery(fee.invoiceId, opts);
    return { outcome: 'exists' as const, invoiceId: fee.invoiceId, delivery };
  }
  const billed = priced(fee, tariffs ?? (await loadTariffs()));
  if (!billed) return { outcome: 'untariffed' as const };
  const [lines, profile] = await Promise.all([
    linesFor([billed]),
    // Consistent: an invoice address set just before the period started is on this invoice.
    batchGet([{ pk: participantPk(fee.participantId), sk: 'PROFILE' }], { consistent: true }).then((r) => r[0]),
  ]);
  const now = clock(opts);
  const issuedOn = todayInAmsterdam(now);
  const draft = newDocument({
    invoiceId: stableId('inv', `individual#${registrationId}`),
    kind: 'individual',
    issuedOn,
    period: { from: fee.billedOn, to: fee.billedOn },
    customer: participantCustomer(fee.participantId, lines[0], profile),
    buyerReference: lines[0].registrationNumber,
    eInvoice: 'en16931',
    lines,
  });
  const actor: Actor = { role: 'system', id: 'invoicing' };
  const invoiceId = draft.invoiceId;
  const written = await issue(
    draft,
    { payer: fee.payer, month: fee.billingMonth, language: profile?.language === 'en' ? 'en' : 'nl' },
    () => feeInvoicedUpdate(registrationId, invoiceId, fee.untariffed ? billed : undefined),
    (inv) => [
      auditPut(INVOICE(inv.invoiceId), { actor, action: 'invoice.issued', after: auditSummary(inv) }, now),
      auditPut(participantPk(fee.participantId), { actor, action: 'invoice.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv) } }, now),
    ],
    now,
  );
  const id = written.status === 'written' ? written.invoice.invoiceId : (await getFee(registrationId))!.invoiceId!;
  const delivery = await requestDelivery(id, opts);
  return { outcome: written.status === 'written' ? ('issued' as const) : ('exists' as const), invoiceId: id, delivery };
}

/**
 * Called right after a period start commits: invoices the participant's own fee. A failure
 * never undoes the period; the monthly run issues whatever was missed.
 */
export async function invoiceAfterPeriodStart(fee: Fee | undefined): Promise<void> {
  if (!fee || fee.payer.type !== 'participant') return;
  try {
    await invoiceParticipantFee(fee.registrationId);
  } catch (err) {
    logger.error('individual invoice not issued now; the monthly run will', { registrationId: fee.registrationId, error: err as Error });
  }
}

