import type { Supplier } from '../config';
import type { VatBreakdown } from '../domain/invoice-math';

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
  street?: string;
  postalCode?: string;
  city?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  kvkNumber?: string;
  vatNumber?: string;
  registrationNumber?: string;
}

export interface InvoiceDocument {
  invoiceId: string;
  invoiceNumber: string;
  documentType: DocumentType;
  kind: InvoiceKind;
  issuedOn: string;
  /** Invoices only: issuedOn + the payment term. */
  dueOn?: string;
  /** The period of supply, inclusive dates. */
  period: { from: string; to: string };
  supplier: Supplier;
  customer: Customer;
  /** BT-10: the customer's reference (employer id, or the participant's registration number). */
  buyerReference: string;
  lines: InvoiceLine[];
  netCents: number;
  vatCents: number;
  totalCents: number;
  vatBreakdown: VatBreakdown[];
  /** Credit notes: the invoice they correct, and why. */
  corrects?: { invoiceId: string; invoiceNumber: string; issuedOn: string };
  reason?: string;
}

export const KIND_NL: Record<LineKind, string> = { new: 'nieuw', renewal: 'verlenging', 're-activation': 'heractivering' };
