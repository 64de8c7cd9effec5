/**
 * Invoice documents for the renderers' tests (PDF and UBL): a collective invoice of a Dutch
 * employer addressed on Peppol by its KvK number, with its debtor number as the reference, and
 * lines of two-year periods. Each test overrides what it is about.
 */
import { invoiceTotals } from '../../shared/domain/invoice-math';
import { config } from '../../shared/config';
import type { InvoiceDocument, InvoiceLine } from '../../shared/invoices/model';

export function invoiceLine(i: number, over: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    registrationId: `reg_${i}`,
    participantId: `par_${i}`,
    registrationNumber: `PE-TST${String(i).padStart(3, '0')}`,
    name: `J. de Vries-${i} & Zn <"test">`,
    kind: 'new',
    startsOn: '2027-01-15',
    endsOn: '2029-01-15',
    netCents: 4995,
    vatRatePercent: 21,
    ...over,
  };
}

export function invoiceDocument(lines: InvoiceLine[], over: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    invoiceId: 'inv_TEST',
    invoiceNumber: 'PE-2027-000042',
    documentType: 'invoice',
    kind: 'collective',
    issuedOn: '2027-02-01',
    dueOn: '2027-03-03',
    period: { from: '2027-01-01', to: '2027-01-31' },
    supplier: config.supplier,
    customer: {
      type: 'employer',
      id: 'emp_TEST',
      name: 'Flex & Co B.V.',
      email: 'facturen@flex.example.nl',
      street: 'Marktplein 7',
      postalCode: '2011 AA',
      city: 'Haarlem',
      country: 'NL',
      kvkNumber: '87654321',
      vatNumber: 'NL987654321B01',
      debtorNumber: 'D-000123',
      peppolId: { scheme: '0106', value: '87654321' },
    },
    // No reference of its own: the debtor number (never the register's internal employer id).
    buyerReference: 'D-000123',
    eInvoice: 'peppol-bis-3',
    lines,
    ...invoiceTotals(lines),
    ...over,
  };
}
