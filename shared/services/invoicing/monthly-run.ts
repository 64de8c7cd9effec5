import { loadTariffs } from '../../data/tariffs';
import { getInvoiceHeader, outbox } from '../../data/invoices';
import { config } from '../../config';
import { logger } from '../../log';
import { monthOf, type RunOptions } from './documents';
import { deliver, type Delivery } from './deliver';
import { drain, type Flow, type Outcome } from '../../jobs/drain';
import { fanOutEmployers, requestDelivery, settleBounded } from './fan-out';
import { invoiceParticipantFee } from './individual';
import { openFeesOf } from './plan';

/**
 * One outbox document: delivered from its stored files, or — not rendered yet (its hand-over to
 * the worker was lost, or is still queued) — handed to the worker again, which renders and delivers.
 */
async function deliverFromOutbox(invoiceId: string, opts?: RunOptions): Promise<Delivery> {
  const header = await getInvoiceHeader(invoiceId);
  return header?.files ? deliver(invoiceId, opts) : requestDelivery(invoiceId, opts);
}

/** What the drain counts of each delivery: `queued` is the worker's to send, not this run's. */
const OUTCOME: Record<Delivery, Outcome> = { sent: 'sent', 'already-sent': 'skipped', 'in-flight': 'skipped', queued: 'skipped', failed: 'failed', unaddressed: 'noAddress' };

/** Delivers every document of the outbox (issued or claimed, not yet sent) through the one drain. */
async function drainOutbox(opts?: RunOptions) {
  const backlog = await outbox();
  const seen: Record<Delivery, number> = { sent: 0, 'already-sent': 0, 'in-flight': 0, queued: 0, failed: 0, unaddressed: 0 };
  const flow: Flow<string> = {
    name: 'invoice e-mail',
    send: async (invoiceId) => {
      const delivery = await deliverFromOutbox(invoiceId, opts);
      seen[delivery]++;
      return OUTCOME[delivery];
    },
  };
  const tally = await drain(backlog, flow, { concurrency: opts?.concurrency ?? 4, stopAt: opts?.stopAt });
  return {
    pending: backlog.length,
    sent: tally.sent,
    inFlight: seen['in-flight'],
    unaddressed: tally.noAddress,
    ...(config.invoiceQueueUrl ? { queued: seen.queued } : {}),
    failed: tally.failed,
    // Not reached before the deadline: still in the outbox for the next run.
    left: tally.notStarted,
  };
}

/**
 * The `invoice-mails` job, every 5 minutes: delivers the invoices and credit notes whose e-mail
 * has not gone out yet — the individual invoice of a session or renewal whose send failed (SES
 * throttled, down), a claim left by a sender that died once its lease ran out — so a participant
 * waits minutes for the invoice, not until the monthly run. Costs one Query of the outbox index
 * (empty most of the time) per run.
 */
export async function runInvoiceMails(asOf: string, opts?: RunOptions) {
  return { job: 'invoice-mails', asOf, ...(await drainOutbox(opts)) };
}

/**
 * The `monthly-invoices` job: for the month before `asOf`,
 * 1. drain the outbox (documents an earlier run or request issued but did not send);
 * 2. issue the individual invoices that were missed at period start (their fees still open);
 * 3. find the employers with open fees (one pass over the month's index partition) and invoice
 *    each: in the cloud one SQS message per employer for the worker function, locally the worker's
 *    unit in-process (fan-out.ts).
 */
export async function runMonthlyInvoices(asOf: string, opts?: RunOptions) {
  const month = monthOf(asOf);
  const tariffs = await loadTariffs();
  const concurrency = opts?.concurrency ?? 4;

  const drained = await drainOutbox(opts);

  const { employers, participantFees } = await openFeesOf(month);
  const individual = await settleBounded(participantFees, concurrency, (fee) => invoiceParticipantFee(fee.registrationId, tariffs, opts), opts?.stopAt);
  const summary = {
    job: 'monthly-invoices',
    asOf,
    month,
    employers: employers.size,
    openFees: [...employers.values()].reduce((a, b) => a + b.length, 0),
    invoices: 0,
    resumed: 0,
    sent: drained.sent,
    failed: drained.failed,
    individualInvoices: individual.filter((r) => r && r.status === 'fulfilled' && r.value.outcome === 'issued').length,
    untariffedFees: individual.filter((r) => r && r.status === 'fulfilled' && r.value.outcome === 'untariffed').length,
    enqueued: 0,
    // Individual invoices (and, below, employers) not reached before the deadline: their fees stay
    // open, and the invocation fails so Lambda runs it again.
    deferred: participantFees.length - individual.filter(Boolean).length,
  };
  for (const r of individual) {
    if (!r) continue;
    if (r.status === 'rejected') summary.failed++;
    else if ('delivery' in r.value && r.value.delivery === 'sent') summary.sent++;
  }

  const ids = [...employers.keys()].sort();
  const fanned = await fanOutEmployers(month, ids, tariffs, { ...opts, concurrency });
  if ('enqueued' in fanned) {
    summary.enqueued = fanned.enqueued;
    return summary;
  }
  const results = fanned.results;
  // Employers not reached before the deadline keep their open fees: the next run picks them up.
  summary.deferred += ids.length - results.filter(Boolean).length;
  for (const r of results) {
    if (!r) continue;
    if (r.status === 'rejected') {
      summary.failed++;
      logger.error('employer invoice failed; the next run completes it', { error: r.reason as Error });
      continue;
    }
    const v = r.value;
    summary.untariffedFees += v.untariffed;
    if (v.outcome !== 'no-fees') {
      if (v.outcome === 'issued') summary.invoices++;
      if (v.outcome === 'resumed') summary.resumed++;
      if (v.delivery === 'sent') summary.sent++;
      if (v.delivery === 'failed') summary.failed++;
    }
  }
  return summary;
}

