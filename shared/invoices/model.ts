import type { Supplier } from '../config';
import type { VatBreakdown } from '../domain/invoice-math';
import type { PeppolId } from '../domain/peppol';

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
  /** The period of supply, inclusive dates. */
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
  corrects?: { invoiceId: string; invoiceNumber: string; issuedOn: string };
  reason?: string;
}

export const KIND_NL: Record<LineKind, string> = { new: 'nieuw', renewal: 'verlenging', 're-activation': 'heractivering' };
