import { randomBytes } from 'node:crypto';
import { batchGet } from '../../data/batch';
import { displayName, participantPk, type InvoiceAddress } from '../../data/participants';
import type { TxItem } from '../../data/client';
import type { Fee } from '../../data/fees';
import { invoicePut, writeLines, writeNumbered, type StoredInvoice } from '../../data/invoices';
import { invoiceTotals } from '../../domain/invoice-math';
import { addDays, addMonths } from '../../domain/dates';
import type { Customer, DocumentReference, EInvoiceProfile, InvoiceDocument, InvoiceLine } from '../../invoices/model';
import { config } from '../../config';

/**
 * Invoicing: the individual invoice of a participant's own period start, the monthly collective
 * invoice per employer, credit notes, and their rendering and delivery by the invoicing worker.
 *
 * Exactly once, in this order (every step idempotent, so any run may repeat any of them):
 * 1. issue (`issue` below) — lines written under an attempt key, then ONE
 *    transaction: the year's counter moves n → n+1 (condition on n), the header is put
 *    (`attribute_not_exists`), the guard is put (run guard `INVRUN#<month>#<employer>`, or the
 *    fee's `invoiceId` for an individual invoice, or `CREDITNOTE#<invoice>`), and the audit events.
 *    A second (concurrent) attempt fails on the guard and continues with the document that exists.
 * 2. mark the fees invoiced (idempotent updates: `invoiceId` unset or equal), then `feesMarked`.
 * 3. enqueue (fan-out.ts) — the document's rendering and delivery go to the invoicing worker, the
 *    only function that bundles the PDF/UBL renderer (render.ts): it renders once and stores the
 *    bytes with the document, then delivers (deliver.ts) from the stored bytes.
 * 4. deliver — claim `issued` → `sending` with a condition (a claim older than the lease may be
 *    taken over), send, then `sending` → `sent`. A failed send releases the claim (`issued`
 *    again); a crash leaves `sending`, retried once the lease ran out. After SES accepted the mail
 *    the claim is never released: recording `sent` is retried, and only a crash (or that write
 *    failing every attempt) between SES and `sent` can cause a second mail, after the lease.
 * Every run first drains the outbox (documents not yet sent), then issues what is missing.
 */
export interface RunOptions {
  /** For tests: the clock (issue dates, leases). */
  now?: () => Date;
  /** In-process concurrency of the per-employer work. */
  concurrency?: number;
  /** Epoch ms after which no new unit of work starts (the Lambda's deadline); the rest waits for the next run. */
  stopAt?: number;
}

export const clock = (opts?: RunOptions) => (opts?.now ? opts.now() : new Date());

export function monthOf(asOf: string): string {
  return addMonths(`${asOf.slice(0, 7)}-01`, -1).slice(0, 7);
}

export function monthPeriod(month: string) {
  const from = `${month}-01`;
  return { from, to: addDays(addMonths(from, 1), -1) };
}

/** The attachment / download name of a document, without extension. */
export function fileBase(doc: Pick<InvoiceDocument, 'documentType' | 'invoiceNumber'>) {
  return `${doc.documentType === 'credit-note' ? 'creditnota' : 'factuur'}-${doc.invoiceNumber}`;
}

/** Participant profiles → line data (name and registration number at issue time). */
export async function linesFor(fees: (Fee & { amountCents: number; vatRatePercent: number })[]): Promise<InvoiceLine[]> {
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

export function newDocument(args: {
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

export function auditSummary(inv: Pick<InvoiceDocument, 'invoiceNumber' | 'documentType' | 'kind' | 'netCents' | 'vatCents' | 'totalCents' | 'period'> & { lines: unknown[] }) {
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
export async function issue(
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

/**
 * A participant as the customer of their own invoice, copied at issue: name and registration
 * number, and the invoice address they gave (printed under the name), if any, else just NL.
 */
export function participantCustomer(participantId: string, line: InvoiceLine, profile: Record<string, unknown> | undefined): Customer {
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
