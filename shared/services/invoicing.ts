import { randomBytes } from 'node:crypto';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { tableName } from '../data/client';
import { batchGet } from '../data/batch';
import { auditPut, type Actor } from '../data/audit';
import { displayName, participantPk, type InvoiceAddress, type TxItem } from '../data/participants';
import { ensureDebtorNumber, getEmployer } from '../data/organisations';
import { buyerPeppolId } from '../domain/peppol';
import { feeKey, fromFeeItem, getFee, markFeeInvoiced, monthFeePages, payerMonthFees, priced, type Fee } from '../data/fees';
import { loadTariffs, type TariffSchedule } from '../data/tariffs';
import {
  claimForSending,
  creditGuardKey,
  getCreditGuard,
  getInvoice,
  getRunGuard,
  invoicePut,
  markDelivered,
  outbox,
  releaseClaim,
  runGuardKey,
  setFeesMarked,
  stableId,
  writeLines,
  writeNumbered,
  type StoredInvoice,
} from '../data/invoices';
import { invoiceTotals } from '../domain/invoice-math';
import { addDays, addMonths } from '../domain/dates';
import type { Customer, DocumentReference, EInvoiceProfile, InvoiceDocument, InvoiceLine } from '../invoices/model';
import { renderDocuments } from '../invoices/render';
import { invoiceEmail } from '../email/templates/invoice';
import { sendEmail } from '../email/send';
import { config } from '../config';
import { todayInAmsterdam } from '../dates';
import { logger } from '../log';
import { Conflict, NotFound } from '../http/errors';

/**
 * Invoicing: the individual invoice of a participant's own period start, the monthly collective
 * invoice per employer, credit notes, and delivery by e-mail.
 *
 * Exactly once, in this order (every step idempotent, so any run may repeat any of them):
 * 1. issue — lines written under an attempt key, then ONE transaction: the year's counter moves
 *    n → n+1 (condition on n), the header is put (`attribute_not_exists`), the guard is put (run
 *    guard `INVRUN#<month>#<employer>`, or the fee's `invoiceId` for an individual invoice, or
 *    `CREDITNOTE#<invoice>`), and the audit events. A second (concurrent) attempt fails on the
 *    guard and continues with the document that exists.
 * 2. mark the fees invoiced (idempotent updates: `invoiceId` unset or equal), then `feesMarked`.
 * 3. deliver — claim `issued` → `sending` with a condition (a claim older than the lease may be
 *    taken over), send, then `sending` → `sent`. A failed send releases the claim (`issued`
 *    again); a crash leaves `sending`, retried once the lease ran out. After SES accepted the mail
 *    the claim is never released: recording `sent` is retried, and only a crash (or that write
 *    failing every attempt) between SES and `sent` can cause a second mail, after the lease.
 * Every run first drains the outbox (documents not yet sent), then issues what is missing.
 */
export const SENDING_LEASE_MS = 10 * 60 * 1000;

export interface RunOptions {
  /** For tests: the clock (issue dates, leases). */
  now?: () => Date;
  /** In-process concurrency of the per-employer work. */
  concurrency?: number;
  /** Epoch ms after which no new unit of work starts (the Lambda's deadline); the rest waits for the next run. */
  stopAt?: number;
}

const clock = (opts?: RunOptions) => (opts?.now ? opts.now() : new Date());

// ---------------------------------------------------------------- documents

export function monthOf(asOf: string): string {
  return addMonths(`${asOf.slice(0, 7)}-01`, -1).slice(0, 7);
}

export function monthPeriod(month: string) {
  const from = `${month}-01`;
  return { from, to: addDays(addMonths(from, 1), -1) };
}

function fileBase(doc: InvoiceDocument) {
  return `${doc.documentType === 'credit-note' ? 'creditnota' : 'factuur'}-${doc.invoiceNumber}`;
}

/** Participant profiles → line data (name and registration number at issue time). */
async function linesFor(fees: (Fee & { amountCents: number; vatRatePercent: number })[]): Promise<InvoiceLine[]> {
  const ids = [...new Set(fees.map((f) => f.participantId))];
  const profiles = new Map(
    (await batchGet(ids.map((id) => ({ pk: participantPk(id), sk: 'PROFILE' })))).map((p) => [p.participantId as string, p]),
  );
  return fees
    .map((f) => {
      const p = profiles.get(f.participantId);
      return {
        registrationId: f.registrationId,
        participantId: f.participantId,
        registrationNumber: (p?.registrationNumber as string | undefined) ?? '—',
        name: p ? displayName({ initials: p.initials as string, prefix: p.prefix as string | undefined, lastName: p.lastName as string }) : '—',
        kind: f.kind,
        startsOn: f.startsOn,
        endsOn: f.endsOn,
        netCents: f.amountCents,
        vatRatePercent: f.vatRatePercent,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.registrationId.localeCompare(b.registrationId));
}

function newDocument(args: {
  invoiceId: string;
  kind: 'collective' | 'individual';
  issuedOn: string;
  period: { from: string; to: string };
  customer: Customer;
  buyerReference: string;
  eInvoice: EInvoiceProfile;
  lines: InvoiceLine[];
  supplements?: DocumentReference;
}): Omit<InvoiceDocument, 'invoiceNumber'> {
  const supplier = config.supplier;
  return {
    invoiceId: args.invoiceId,
    documentType: 'invoice',
    kind: args.kind,
    issuedOn: args.issuedOn,
    dueOn: addDays(args.issuedOn, supplier.paymentTermDays),
    period: args.period,
    supplier,
    customer: args.customer,
    buyerReference: args.buyerReference,
    eInvoice: args.eInvoice,
    lines: args.lines,
    ...invoiceTotals(args.lines),
    ...(args.supplements ? { supplements: args.supplements } : {}),
  };
}

function auditSummary(inv: Pick<InvoiceDocument, 'invoiceNumber' | 'documentType' | 'kind' | 'netCents' | 'vatCents' | 'totalCents' | 'period'> & { lines: unknown[] }) {
  return {
    invoiceNumber: inv.invoiceNumber,
    documentType: inv.documentType,
    kind: inv.kind,
    period: inv.period,
    lines: inv.lines.length,
    netCents: inv.netCents,
    vatCents: inv.vatCents,
    totalCents: inv.totalCents,
  };
}

/**
 * Writes a new document: its lines under a fresh attempt key, then header + number + guard +
 * audit events in one transaction. Returns the stored document, or `exists` when the guard says
 * another attempt wrote it first.
 */
async function issue(
  draft: Omit<InvoiceDocument, 'invoiceNumber'>,
  meta: { payer: StoredInvoice['payer']; month?: string; language?: 'nl' | 'en' },
  guard: (invoiceId: string) => TxItem,
  audits: (inv: StoredInvoice) => TxItem[],
  now: Date,
): Promise<{ status: 'written'; invoice: StoredInvoice } | { status: 'exists' }> {
  const linesKey = randomBytes(6).toString('hex');
  await writeLines(draft.invoiceId, linesKey, draft.lines);
  let written: StoredInvoice | undefined;
  const result = await writeNumbered(draft.issuedOn.slice(0, 4), (invoiceNumber) => {
    written = {
      ...draft,
      invoiceNumber,
      payer: meta.payer,
      ...(meta.month ? { month: meta.month } : {}),
      ...(meta.language ? { language: meta.language } : {}),
      status: 'issued',
      linesKey,
      lineCount: draft.lines.length,
      feesMarked: draft.documentType === 'credit-note',
      createdAt: now.toISOString(),
    };
    return [invoicePut(written), guard(draft.invoiceId), ...audits(written)];
  });
  if (result.status === 'refused') return { status: 'exists' };
  return { status: 'written', invoice: written! };
}

// ---------------------------------------------------------------- delivery

export type Delivery = 'sent' | 'already-sent' | 'in-flight' | 'failed' | 'unaddressed';

/**
 * Delivers a document by e-mail, exactly once (see the order above): only the caller that moves
 * it to `sending` sends.
 */
export async function deliver(invoiceId: string, opts?: RunOptions): Promise<Delivery> {
  const now = clock(opts);
  const claim = randomBytes(8).toString('hex');
  if (!(await claimForSending(invoiceId, claim, now, SENDING_LEASE_MS))) {
    const inv = await getInvoice(invoiceId);
    return inv?.status === 'sent' || inv?.status === 'unaddressed' ? 'already-sent' : 'in-flight';
  }
  const inv = (await getInvoice(invoiceId))!;
  const to = inv.customer.email;
  if (!to) {
    await markDelivered(invoiceId, claim, 'unaddressed', undefined, now);
    logger.warn('invoice has no e-mail address; left for the API only', { invoiceId });
    return 'unaddressed';
  }
  let messageId: string;
  try {
    const { pdf, xml } = await renderDocuments(inv);
    const base = fileBase(inv);
    const attachments = [{ filename: `${base}.pdf`, contentType: 'application/pdf', content: pdf }];
    // Businesses get the e-invoice too; a consumer's mail carries the PDF only.
    if (inv.kind === 'collective') attachments.push({ filename: `${base}.xml`, contentType: 'application/xml', content: Buffer.from(xml, 'utf8') });
    messageId = await sendEmail(invoiceEmail({ to, doc: inv, attachments, language: inv.language ?? 'nl' }));
  } catch (err) {
    logger.error('invoice e-mail failed; left for the next run', { invoiceId, error: err as Error });
    await releaseClaim(invoiceId, claim, (err as Error).message ?? String(err)).catch(() => undefined);
    return 'failed';
  }
  // SES has the message: from here on only record it. Releasing the claim now would send it again.
  for (let attempt = 1; ; attempt++) {
    try {
      await markDelivered(invoiceId, claim, 'sent', messageId, clock(opts));
      break;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException' || attempt >= MARK_ATTEMPTS) {
        // The claim stays until its lease runs out; after that a run would send it again — the one
        // duplicate this design allows (at-least-once at the SES boundary).
        logger.error('invoice e-mail sent but not recorded', { invoiceId, messageId, error: err as Error });
        break;
      }
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
  return 'sent';
}

/** Attempts to record a sent e-mail before leaving it to the lease. */
const MARK_ATTEMPTS = 4;

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

// ---------------------------------------------------------------- the collective invoice

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
    (invoiceId) => ({
      Put: {
        TableName: tableName(),
        Item: { ...runGuardKey(month, employerId, part), type: 'invoice-run', invoiceId, month, employerId, part, createdAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    (inv) => [
      auditPut(`INVOICE#${inv.invoiceId}`, { actor, action: 'invoice.issued', after: auditSummary(inv) }, now),
      auditPut(`EMPLOYER#${employerId}`, { actor, action: 'invoice.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv) } }, now),
    ],
    now,
  );
  // A concurrent run issued this part first: complete that one instead.
  if (written.status === 'exists') return complete((await getRunGuard(month, employerId, part))!, month, employerId, opts);
  await markFees(written.invoice, pricedFees);
  const delivery = await deliver(written.invoice.invoiceId, opts);
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
  const delivery = inv.status === 'sent' || inv.status === 'unaddressed' ? 'done' : await deliver(invoiceId, opts);
  return { outcome: 'resumed', invoiceId, invoiceNumber: inv.invoiceNumber, delivery, untariffed: 0, billed, issuedOn: inv.issuedOn };
}

// ---------------------------------------------------------------- the individual invoice

/**
 * The one-line invoice of a participant's own period start: issued once per fee (the fee's
 * `invoiceId`, set in the issuing transaction, is the guard) and e-mailed with its PDF.
 */
export async function invoiceParticipantFee(registrationId: string, tariffs?: TariffSchedule, opts?: RunOptions) {
  const fee = await getFee(registrationId);
  if (!fee || fee.payer.type !== 'participant') return { outcome: 'not-billable' as const };
  if (fee.invoiceId) {
    const delivery = await deliver(fee.invoiceId, opts);
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
    () => ({
      Update: {
        TableName: tableName(),
        Key: feeKey(registrationId),
        UpdateExpression: fee.untariffed
          ? 'SET #status = :invoiced, invoiceId = :inv, amountCents = :amount, vatRatePercent = :rate, tariffValidFrom = :from, untariffed = :false'
          : 'SET #status = :invoiced, invoiceId = :inv',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(invoiceId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':invoiced': 'invoiced',
          ':inv': invoiceId,
          ...(fee.untariffed ? { ':amount': billed.amountCents, ':rate': billed.vatRatePercent, ':from': billed.tariffValidFrom, ':false': false } : {}),
        },
      },
    }),
    (inv) => [
      auditPut(`INVOICE#${inv.invoiceId}`, { actor, action: 'invoice.issued', after: auditSummary(inv) }, now),
      auditPut(participantPk(fee.participantId), { actor, action: 'invoice.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv) } }, now),
    ],
    now,
  );
  const id = written.status === 'written' ? written.invoice.invoiceId : (await getFee(registrationId))!.invoiceId!;
  const delivery = await deliver(id, opts);
  return { outcome: written.status === 'written' ? ('issued' as const) : ('exists' as const), invoiceId: id, delivery };
}

/**
 * A participant as the customer of their own invoice, copied at issue: name and registration
 * number, and the invoice address they gave (printed under the name), if any, else just NL.
 */
function participantCustomer(participantId: string, line: InvoiceLine, profile: Record<string, unknown> | undefined): Customer {
  const address = profile?.invoiceAddress as InvoiceAddress | undefined;
  return {
    type: 'participant',
    id: participantId,
    name: line.name,
    email: profile?.email as string | undefined,
    ...(address
      ? { ...(address.name ? { addressName: address.name } : {}), street: address.street, postalCode: address.postalCode, city: address.city, country: address.country }
      : { country: 'NL' }),
    registrationNumber: line.registrationNumber,
  };
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

// ---------------------------------------------------------------- credit notes

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
    (creditNoteId) => ({
      Put: {
        TableName: tableName(),
        Item: { ...creditGuardKey(invoiceId), type: 'credit-guard', creditNoteId, invoiceId, createdAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    (inv) => [
      auditPut(`INVOICE#${inv.invoiceId}`, { actor, action: 'credit-note.issued', after: { ...auditSummary(inv), corrects: draft.corrects, reason } }, now),
      auditPut(`INVOICE#${invoiceId}`, { actor, action: 'invoice.credited', detail: { creditNoteId: inv.invoiceId, creditNoteNumber: inv.invoiceNumber, reason } }, now),
      ...(original.payer.type === 'participant'
        ? [auditPut(participantPk(original.payer.id), { actor, action: 'credit-note.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv), reason } }, now)]
        : [auditPut(`EMPLOYER#${original.payer.id}`, { actor, action: 'credit-note.issued', after: { invoiceId: inv.invoiceId, ...auditSummary(inv), reason } }, now)]),
    ],
    now,
  );
  if (written.status === 'exists') {
    throw new Conflict('This invoice has already been credited.', { reason: 'already-credited', creditNoteId: await getCreditGuard(invoiceId) });
  }
  const delivery = await deliver(written.invoice.invoiceId, opts);
  return { invoice: written.invoice, delivery };
}

// ---------------------------------------------------------------- the monthly run

let sqs: SQSClient | undefined;

async function enqueue(month: string, employerIds: string[]) {
  sqs ??= new SQSClient({ region: config.region });
  for (let i = 0; i < employerIds.length; i += 10) {
    const batch = employerIds.slice(i, i + 10);
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: config.invoiceQueueUrl,
        Entries: batch.map((employerId, j) => ({ Id: String(j), MessageBody: JSON.stringify({ month, employerId }) })),
      }),
    );
    if (res.Failed?.length) throw new Error(`SQS refused ${res.Failed.length} invoice messages of ${month}`);
  }
}

async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>, stopAt?: number): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length && !(stopAt && Date.now() > stopAt)) {
        const i = next++;
        try {
          out[i] = { status: 'fulfilled', value: await work(items[i]) };
        } catch (reason) {
          out[i] = { status: 'rejected', reason };
        }
      }
    }),
  );
  return out;
}

/** Delivers every document of the outbox (issued or claimed, not yet sent), `concurrency` at a time. */
async function drainOutbox(opts?: RunOptions) {
  const backlog = await outbox();
  const results = await pool(backlog, opts?.concurrency ?? 4, (id) => deliver(id, opts), opts?.stopAt);
  const count = (d: Delivery) => results.filter((r) => r && r.status === 'fulfilled' && r.value === d).length;
  return {
    pending: backlog.length,
    sent: count('sent'),
    inFlight: count('in-flight'),
    unaddressed: count('unaddressed'),
    failed: results.filter((r) => r && (r.status === 'rejected' || r.value === 'failed')).length,
    // Not reached before the deadline: still in the outbox for the next run.
    left: backlog.length - results.filter(Boolean).length,
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
 *    each: in the cloud one SQS message per employer for the worker function, locally in-process.
 */
/** The month's open fees (one pass over its index partition): per employer, and the participants' own. */
async function openFeesOf(month: string): Promise<{ employers: Map<string, Fee[]>; participantFees: Fee[] }> {
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

export async function runMonthlyInvoices(asOf: string, opts?: RunOptions) {
  const month = monthOf(asOf);
  const tariffs = await loadTariffs();
  const concurrency = opts?.concurrency ?? 4;

  const drained = await drainOutbox(opts);

  const { employers, participantFees } = await openFeesOf(month);
  const individual = await pool(participantFees, concurrency, (fee) => invoiceParticipantFee(fee.registrationId, tariffs, opts), opts?.stopAt);
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
  if (config.invoiceQueueUrl) {
    await enqueue(month, ids);
    summary.enqueued = ids.length;
    return summary;
  }
  const results = await pool(ids, concurrency, (id) => invoiceEmployerMonth(month, id, tariffs, opts), opts?.stopAt);
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

// ---------------------------------------------------------------- dry runs

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

/** The SQS worker's unit of work (one message = one employer-month). */
export async function invoiceEmployerMessage(body: string, opts?: RunOptions) {
  const { month, employerId } = JSON.parse(body) as { month: string; employerId: string };
  if (!/^\d{4}-\d{2}$/.test(month) || typeof employerId !== 'string') throw new Error('Malformed invoice message');
  return invoiceEmployerMonth(month, employerId, await loadTariffs(), opts);
}

