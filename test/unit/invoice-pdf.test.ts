/**
 * The invoice PDF as people read it: names in any European (or Vietnamese) spelling come out as
 * written, and no piece of text is printed over another, however long a value is.
 */
import { describe, expect, it } from 'vitest';
import { buildPdf } from '../../shared/invoices/pdf';
import { invoiceTotals } from '../../shared/domain/invoice-math';
import { config } from '../../shared/config';
import type { InvoiceDocument, InvoiceLine } from '../../shared/invoices/model';
import { pdfText, pdfTextRuns } from '../setup/pdf-text';

function line(i: number, name: string, over: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    registrationId: `reg_${i}`,
    participantId: `par_${i}`,
    registrationNumber: `PE-TST${String(i).padStart(3, '0')}`,
    name,
    kind: 'new',
    startsOn: '2027-01-15',
    endsOn: '2029-01-15',
    netCents: 4995,
    vatRatePercent: 21,
    ...over,
  };
}

function doc(lines: InvoiceLine[], over: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    invoiceId: 'inv_TEST',
    invoiceNumber: 'PE-2027-000042',
    documentType: 'invoice',
    kind: 'collective',
    issuedOn: '2027-02-01',
    dueOn: '2027-03-03',
    period: { from: '2027-01-01', to: '2027-01-31' },
    supplier: config.supplier,
    customer: { type: 'employer', id: 'emp_TEST', name: 'Flex & Co B.V.', street: 'Marktplein 7', postalCode: '2011 AA', city: 'Haarlem', country: 'NL', kvkNumber: '87654321' },
    buyerReference: 'emp_TEST',
    lines,
    ...invoiceTotals(lines),
    ...over,
  };
}

/** Polish, Turkish, Romanian, Hungarian, Czech, Croatian and Vietnamese names. */
const NAMES = ['Łukasz Wąsowski', 'Şükrü Öztürk', 'Ștefan Țăranu', 'Őrsi Űrös', 'Řehoř Ďuriš', 'P. Ćorić', 'Nguyễn Thị Hương'];

describe('names outside Latin-1', () => {
  it('come out of the PDF as written: on the lines and as the customer', async () => {
    const lines = NAMES.map((name, i) => line(i + 1, name));
    const pdf = await buildPdf(
      doc(lines, {
        kind: 'individual',
        customer: { type: 'participant', id: 'par_1', name: 'Nguyễn Thị Hương', country: 'NL', registrationNumber: 'PE-TST007' },
      }),
    );
    const text = pdfText(pdf);
    for (const name of NAMES) expect(text, name).toContain(name);
    // Drawn in the embedded font (a subset of DejaVu Sans), not in a WinAnsi standard font.
    expect(new Set(pdfTextRuns(pdf).map((r) => r.font))).toEqual(new Set(['DejaVuSans', 'DejaVuSans-Bold']));
    // Only the glyphs used are embedded: a few tens of kilobytes, not the 1.4 MB of both fonts.
    expect(pdf.length).toBeLessThan(60_000);
  });
});
