/**
 * The invoice PDF as people read it: names in any European (or Vietnamese) spelling come out as
 * written, and no piece of text is printed over another, however long a value is.
 */
import { describe, expect, it } from 'vitest';
import { buildPdf, invoiceHeaderLayout, type TextBox } from '../../shared/invoices/pdf';
import type { InvoiceLine } from '../../shared/invoices/model';
import { invoiceDocument, invoiceLine } from '../setup/invoice-fixtures';
import { pdfText, pdfTextLines, pdfTextRuns, type TextRun } from '../setup/pdf-text';

const line = (i: number, name: string, over: Partial<InvoiceLine> = {}): InvoiceLine => invoiceLine(i, { name, ...over });
const doc = invoiceDocument;

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

describe('the delivery period', () => {
  const squeeze = (text: string) => text.replace(/\s+/g, '');

  it("of a renewal's invoice is the period its line covers (through the last valid day), not the day it was bought", async () => {
    const renewal = doc([line(1, 'J. de Vries', { kind: 'renewal', startsOn: '2027-03-09', endsOn: '2029-03-09' })], {
      kind: 'individual',
      issuedOn: '2027-01-15',
      dueOn: '2027-02-14',
      period: { from: '2027-01-15', to: '2027-01-15' },
      customer: { type: 'participant', id: 'par_1', name: 'J. de Vries', country: 'NL', registrationNumber: 'PE-TST001' },
    });
    const lines = pdfTextLines(await buildPdf(renewal));
    const text = squeeze(lines.join(''));
    expect(text).toContain(squeeze('Leveringsperiode: 09-03-2027 t/m 08-03-2029'));
    // The line shows the same period, both days inclusive.
    expect(lines).toContain('Periode (van – t/m)');
    expect(text).toContain(squeeze('verlenging 09-03-2027 t/m 08-03-2029'));
    expect(text).not.toContain('15-01-2027t/m15-01-2027');
    expect(text).not.toContain('Factuurmaand');
  });

  it('of a collective invoice runs from the first line period to the last; the month billed is shown as such', async () => {
    const collective = doc([
      line(1, 'A. Aa', { startsOn: '2027-01-03', endsOn: '2029-01-03' }),
      line(2, 'B. Bb', { kind: 'renewal', startsOn: '2027-06-20', endsOn: '2029-06-20' }),
    ]);
    const text = squeeze(pdfText(await buildPdf(collective)));
    expect(text).toContain(squeeze('Factuurmaand: januari 2027'));
    expect(text).toContain(squeeze('Leveringsperiode: 03-01-2027 t/m 19-06-2029'));
    expect(text).toContain(squeeze('nieuw 03-01-2027 t/m 02-01-2029'));
    expect(text).toContain(squeeze('verlenging 20-06-2027 t/m 19-06-2029'));
  });
});

type Rect = { left: number; right: number; top: number; bottom: number };
const boxRect = (b: TextBox): Rect => ({ left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height });
const runRect = (r: TextRun): Rect => ({ left: r.x, right: r.x + r.width, top: r.top, bottom: r.bottom });
/** Overlap with some area (touching edges, as consecutive lines do, is not overlapping). */
const overlaps = (a: Rect, b: Rect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.01 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.01;

function overlapping<T>(items: T[], rect: (t: T) => Rect, name: (t: T) => string): string[] {
  const found: string[] = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) if (overlaps(rect(items[i]), rect(items[j]))) found.push(`${name(items[i])} × ${name(items[j])}`);
  return found;
}
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('no overprinted text', () => {
  const long = 'Referentie-2027/inkoop/afdeling-flexpool-Zuid-Holland-Noord en Midden-Brabant (kostenplaats 4711-0815-31337)';
  const credit = doc(
    ['Joanna Wąsowska-Kowalczyk-Brzęczyszczykiewicz van den Berghe tot Oud-Beijerland', 'J. Jansen'].map((name, i) => line(i + 1, name, { netCents: -4995 })),
    {
      documentType: 'credit-note',
      invoiceNumber: 'PE-2027-000043',
      dueOn: undefined,
      customer: {
        type: 'employer',
        id: 'emp_TEST',
        name: 'Uitzendbureau De Verenigde Flexibele Arbeidskrachten van Nederland en België Holding B.V. i.o.',
        street: 'Burgemeester Van Nispen tot Sevenaerstraat 1234 bis, gebouw C, derde verdieping',
        postalCode: '2011 AA',
        city: 'Haarlem',
        country: 'NL',
        kvkNumber: '87654321',
        vatNumber: 'NL987654321B01',
        email: 'crediteurenadministratie.zuid-holland@verenigde-flexibele-arbeidskrachten.example.nl',
      },
      buyerReference: long,
      corrects: { invoiceId: 'inv_X', invoiceNumber: 'PE-2027-000042', issuedOn: '2027-02-01' },
      reason: `Dubbel gefactureerd: ${long}. `.repeat(4).trim(),
    },
  );

  it('lays the header out as boxes that do not overlap, each within the page, whatever the length of the values', async () => {
    const { boxes, bottom } = await invoiceHeaderLayout(credit);
    expect(overlapping(boxes, boxRect, (b) => b.id)).toEqual([]);
    for (const b of boxes) {
      expect(b.x, b.id).toBeGreaterThanOrEqual(50);
      expect(b.x + b.width, b.id).toBeLessThanOrEqual(595.28 - 50);
      expect(b.y + b.height, b.id).toBeLessThanOrEqual(bottom);
    }
    // The long values wrapped: their boxes are taller than one line.
    const byId = new Map(boxes.map((b) => [b.id, b]));
    expect(byId.get('fact:Uw referentie:value')!.height).toBeGreaterThan(2 * 10.4);
    expect(byId.get('reason')!.height).toBeGreaterThan(3 * 10.4);
  });

  it('draws every header text in full, and no two runs of text on a page overlap or leave the text area', async () => {
    const pdf = await buildPdf(credit);
    const runs = pdfTextRuns(pdf);
    for (const page of new Set(runs.map((r) => r.page))) {
      const onPage = runs.filter((r) => r.page === page);
      expect(overlapping(onPage, runRect, (r) => `"${r.text}"`)).toEqual([]);
      for (const r of onPage) {
        expect(r.x, r.text).toBeGreaterThanOrEqual(50 - 0.01);
        expect(r.x + r.width, r.text).toBeLessThanOrEqual(595.28 - 50 + 0.01);
      }
    }
    const drawn = squeeze(runs.filter((r) => r.page === 1).map((r) => r.text).join(''));
    for (const b of (await invoiceHeaderLayout(credit)).boxes) expect(drawn, b.id).toContain(squeeze(b.text));
    // The table's long name wraps within its column and is there in full too.
    expect(drawn).toContain(squeeze(credit.lines[0].name));
  });
});
