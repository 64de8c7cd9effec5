import type { Supplier } from '../config';
import type { VatBreakdown } from '../domain/invoice-math';
import type { PeppolId } from '../domain/peppol';
import { addDays } from '../domain/dates';

/**
 * An issued invoice or credit note as stored, and as the PDF, the UBL and the JSON view render it.
 * Everything a document shows is copied in at issue time (supplier, customer, line names and
 * registration numbers), so it never changes afterwards: not when the register's details change,
 * nor when a participant's personal data is erased.
 */
export type DocumentType = 'invoice' | 'credit-note';
export type InvoiceKind = 'collective' | 'individual';
export type LineKind = 'new' | 'renewal' | 're-activation';

export interface InvoiceLine {
  registrationId: string;
  participantId: string;
  registrationNumber: string;
  name: string;
  kind: LineKind;
  startsOn: string;
  /** Exclusive, as everywhere in the register. */
  endsOn: string;
  /** Negative on a credit note. */
  netCents: number;
  vatRatePercent: number;
}

export interface Customer {
  /** `employer` (collective invoices) or `participant` (individual ones). */
  type: 'employer' | 'participant';
  id: string;
  name: string;
  email?: string;
  /** A participant's invoice address may add a name (their company, "t.a.v. …"): printed under `name`. */
  addressName?: string;
  street?: string;
  postalCode?: string;
  city?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  kvkNumber?: string;
  vatNumber?: string;
  registrationNumber?: string;
  /** Employers: the register's number for them (BT-46, the buyer identifier the seller assigns). */
  debtorNumber?: string;
  /** Employers: the buyer's Peppol address (EndpointID) at issue; absent when it has none. */
  peppolId?: PeppolId;
}

/**
 * Which e-invoice the document is: Peppol BIS Billing 3.0 (NLCIUS) for a buyer with a Peppol
 * address, the plain EN 16931 core otherwise (consumers, foreign employers without one).
 * Absent on documents issued before it was recorded: those are employer → Peppol, addressed by KvK.
 */
export type EInvoiceProfile = 'peppol-bis-3' | 'en16931';

export interface InvoiceDocument {
  invoiceId: string;
  invoiceNumber: string;
  documentType: DocumentType;
  kind: InvoiceKind;
  issuedOn: string;
  /** Invoices only: issuedOn + the payment term. */
  dueOn?: string;
  /**
   * The billing period, inclusive dates: the month whose period starts a collective invoice bills,
   * or the day an individual one was billed. What was supplied is `deliveryPeriod`.
   */
  period: { from: string; to: string };
  supplier: Supplier;
  customer: Customer;
  /**
   * BT-10 "Uw referentie": the employer's own reference (a PO number) or else its debtor number;
   * for a participant its registration number. (Documents issued before issue 13 carry the employer id.)
   */
  buyerReference: string;
  eInvoice?: EInvoiceProfile;
  lines: InvoiceLine[];
  netCents: number;
  vatCents: number;
  totalCents: number;
  vatBreakdown: VatBreakdown[];
  /** Credit notes: the invoice they correct, and why. */
  corrects?: DocumentReference;
  reason?: string;
  /**
   * Supplementary invoices (fees of an already-invoiced month, billed later): the month's first
   * invoice they add to. Printed as "Aanvullende factuur", referenced in the UBL (BG-3).
   */
  supplements?: DocumentReference;
}

/** An earlier document this one refers to. */
export interface DocumentReference {
  invoiceId: string;
  invoiceNumber: string;
  issuedOn: string;
}

/** The document's kind as its heading and e-mail subject name it. */
export function documentTitle(doc: Pick<InvoiceDocument, 'documentType' | 'supplements'>, language: 'nl' | 'en' = 'nl'): string {
  if (doc.documentType === 'credit-note') return language === 'en' ? 'Credit note' : 'Creditnota';
  if (doc.supplements) return language === 'en' ? 'Supplementary invoice' : 'Aanvullende factuur';
  return language === 'en' ? 'Invoice' : 'Factuur';
}

export const KIND_NL: Record<LineKind, string> = { new: 'nieuw', renewal: 'verlenging', 're-activation': 'heractivering' };

export interface DateRange {
  from: string;
  to: string;
}

/**
 * What a line's fee pays for: its registration period, from `startsOn` through its last valid day
 * (`endsOn` is exclusive). A renewal bought months ahead covers its new period, not the day it was bought.
 */
export function linePeriod(line: Pick<InvoiceLine, 'startsOn' | 'endsOn'>): DateRange {
  return { from: line.startsOn, to: addDays(line.endsOn, -1) };
}

/**
 * The delivery period of a document (BG-14, "Leveringsperiode"): from the first day any of its
 * lines covers to the last. Every line period lies within it, as Peppol (PEPPOL-EN16931-R110/R111)
 * requires; a one-line invoice, such as a renewal's, shows exactly the period that line covers.
 */
export function deliveryPeriod(doc: Pick<InvoiceDocument, 'lines' | 'period'>): DateRange {
  if (!doc.lines.length) return doc.period;
  const periods = doc.lines.map(linePeriod);
  return {
    from: periods.reduce((min, p) => (p.from < min ? p.from : min), periods[0].from),
    to: periods.reduce((max, p) => (p.to > max ? p.to : max), periods[0].to),
  };
}
