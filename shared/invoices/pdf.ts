import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as pdfkit from 'pdfkit';
import { formatEuro, formatRate } from '../domain/invoice-math';
import { KIND_NL, type InvoiceDocument } from './model';

/**
 * The PDF of an issued invoice or credit note (Dutch), with every field the Dutch VAT act
 * (Wet OB art. 35a) and the trade register decree (Handelsregisterbesluit art. 20) ask for:
 * supplier and customer name and address, the supplier's KvK and VAT numbers (and the
 * customer's VAT number when known), a unique sequential invoice number, the invoice date, the
 * period of supply, per line what was supplied (quantity 1, the registration period) and its
 * amount, the net amount per VAT rate, the rate and the VAT, the total, and the payment terms.
 * All figures come from the stored document (computed once by domain/invoice-math).
 */
const PDFDocument = pdfkit.default;

/**
 * All text is set in DejaVu Sans (regular and bold), embedded: pdfkit's standard fonts are
 * WinAnsi (Latin-1), which printed "P. Ćorić" as "P. f÷ ip". DejaVu covers Latin Extended-A/B and
 * Vietnamese; pdfkit embeds only the glyphs a document uses (a subset: an invoice stays ~15–30 KB)
 * with a ToUnicode map, so its text can still be searched, copied and read back by the tests.
 *
 * In Node the TrueType files are read from their package. A Lambda bundle has no node_modules:
 * there `pdfkit` is aliased to infra/bundling/pdfkit, which also exports the two files as bytes
 * (esbuild's binary loader puts them in the bundle; see infra/constructs/pe-function.ts).
 */
export interface InvoiceFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}
let fonts: InvoiceFonts | undefined;
export function invoiceFonts(): InvoiceFonts {
  if (fonts) return fonts;
  const bundled = (pdfkit as unknown as { invoiceFonts?: InvoiceFonts }).invoiceFonts;
  if (bundled) return (fonts = bundled);
  const resolve = createRequire(import.meta.url).resolve;
  fonts = {
    regular: readFileSync(resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}
const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

const MARGIN = 50;
const PAGE_BOTTOM = 841.89 - 70;

/** dd-mm-yyyy, as Dutch documents write dates. */
export function nlDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}-${m}-${y}`;
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

const COLS = [
  { key: 'nr', title: 'Nr', x: 50, w: 22, align: 'left' as const },
  { key: 'name', title: 'Naam', x: 74, w: 132, align: 'left' as const },
  { key: 'regno', title: 'Registratienr.', x: 208, w: 70, align: 'left' as const },
  { key: 'kind', title: 'Soort', x: 280, w: 66, align: 'left' as const },
  { key: 'period', title: 'Periode (van – tot)', x: 348, w: 112, align: 'left' as const },
  { key: 'rate', title: 'Btw', x: 462, w: 28, align: 'right' as const },
  { key: 'amount', title: 'Excl. btw', x: 492, w: 53, align: 'right' as const },
];

export async function buildPdf(doc: InvoiceDocument): Promise<Buffer> {
  const credit = doc.documentType === 'credit-note';
  const ttf = invoiceFonts();
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    // The default font too, or pdfkit would load Helvetica (which the bundle no longer carries).
    font: ttf.regular,
    info: {
      Title: `${credit ? 'Creditnota' : 'Factuur'} ${doc.invoiceNumber}`,
      Author: doc.supplier.name,
      Subject: 'Registratiekosten PE-register',
    },
  });
  pdf.registerFont(REGULAR, ttf.regular).registerFont(BOLD, ttf.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const s = doc.supplier;
  const c = doc.customer;
  const line = (text: string, x: number, y: number, opts: { width?: number; align?: 'left' | 'right' } = {}) =>
    pdf.text(text, x, y, { lineBreak: false, ...opts });

  // Supplier (top right)
  pdf.font(BOLD).fontSize(10);
  let y = MARGIN;
  line(s.name, 300, y, { width: 245, align: 'right' });
  pdf.font(REGULAR).fontSize(9);
  for (const text of [s.street, `${s.postalCode} ${s.city}`, s.country === 'NL' ? 'Nederland' : s.country, `KvK ${s.kvkNumber}`, `Btw-nr. ${s.vatNumber}`, `IBAN ${s.iban}${s.bic ? ` (BIC ${s.bic})` : ''}`, s.email]) {
    y += 12;
    line(text, 300, y, { width: 245, align: 'right' });
  }

  // Title
  pdf.font(BOLD).fontSize(20);
  line(credit ? 'Creditnota' : 'Factuur', MARGIN, MARGIN);

  // Customer
  y = 150;
  pdf.font(BOLD).fontSize(9);
  line('Aan', MARGIN, y);
  pdf.font(REGULAR).fontSize(10);
  const customerLines = [
    c.name,
    c.street,
    c.postalCode || c.city ? `${c.postalCode ?? ''} ${c.city ?? ''}`.trim() : undefined,
    c.country === 'NL' ? 'Nederland' : c.country,
    c.kvkNumber ? `KvK ${c.kvkNumber}` : undefined,
    c.vatNumber ? `Btw-nr. ${c.vatNumber}` : undefined,
    c.registrationNumber ? `Registratienummer ${c.registrationNumber}` : undefined,
    c.email,
  ].filter((v): v is string => Boolean(v));
  for (const text of customerLines) {
    y += 13;
    line(text, MARGIN, y, { width: 240 });
  }

  // Document facts
  const facts: [string, string][] = [
    [credit ? 'Creditnotanummer' : 'Factuurnummer', doc.invoiceNumber],
    [credit ? 'Datum creditnota' : 'Factuurdatum', nlDate(doc.issuedOn)],
    ...(doc.dueOn ? ([['Vervaldatum', nlDate(doc.dueOn)]] as [string, string][]) : []),
    ['Leveringsperiode', `${nlDate(doc.period.from)} t/m ${nlDate(doc.period.to)}`],
    ['Uw referentie', doc.buyerReference],
    ...(doc.corrects ? ([['Correctie op factuur', `${doc.corrects.invoiceNumber} van ${nlDate(doc.corrects.issuedOn)}`]] as [string, string][]) : []),
  ];
  let fy = 150;
  for (const [label, value] of facts) {
    pdf.font(BOLD).fontSize(9);
    line(`${label}:`, 320, fy, { width: 100 });
    pdf.font(REGULAR);
    line(value, 420, fy, { width: 125 });
    fy += 13;
  }
  y = Math.max(y, fy) + 20;
  if (doc.reason) {
    pdf.font(REGULAR).fontSize(9);
    pdf.text(`Reden: ${doc.reason}`, MARGIN, y, { width: 495 });
    y = pdf.y + 10;
  }

  // Lines
  const header = () => {
    pdf.font(BOLD).fontSize(8);
    for (const col of COLS) line(col.title, col.x, y, { width: col.w, align: col.align });
    y += 12;
    pdf.strokeColor('#888888').lineWidth(0.5).moveTo(MARGIN, y - 2).lineTo(545, y - 2).stroke();
    pdf.font(REGULAR).fontSize(8);
  };
  header();
  doc.lines.forEach((l, i) => {
    if (y > PAGE_BOTTOM) {
      pdf.addPage();
      y = MARGIN;
      header();
    }
    const values: Record<string, string> = {
      nr: String(i + 1),
      name: truncate(l.name, 30),
      regno: l.registrationNumber,
      kind: KIND_NL[l.kind],
      period: `${nlDate(l.startsOn)} – ${nlDate(l.endsOn)}`,
      rate: `${formatRate(l.vatRatePercent)}%`,
      amount: formatEuro(l.netCents),
    };
    for (const col of COLS) line(values[col.key], col.x, y, { width: col.w, align: col.align });
    y += 12;
  });

  // Totals: net per rate, VAT per rate, totals
  if (y > PAGE_BOTTOM - 20 - 14 * (doc.vatBreakdown.length * 2 + 3)) {
    pdf.addPage();
    y = MARGIN;
  }
  y += 8;
  pdf.strokeColor('#888888').lineWidth(0.5).moveTo(300, y).lineTo(545, y).stroke();
  y += 6;
  const total = (label: string, cents: number, bold = false) => {
    pdf.font(bold ? BOLD : REGULAR).fontSize(9);
    line(label, 300, y, { width: 165 });
    line(formatEuro(cents), 465, y, { width: 80, align: 'right' });
    y += 14;
  };
  for (const b of doc.vatBreakdown) total(`Netto ${formatRate(b.vatRatePercent)}% btw`, b.netCents);
  for (const b of doc.vatBreakdown) total(`Btw ${formatRate(b.vatRatePercent)}% over ${formatEuro(b.netCents)}`, b.vatCents);
  total('Totaal excl. btw', doc.netCents);
  total('Totaal btw', doc.vatCents);
  total(credit ? 'Totaal te crediteren' : 'Totaal te betalen', doc.totalCents, true);

  // Payment terms
  y += 12;
  pdf.font(REGULAR).fontSize(9);
  const terms = credit
    ? `Deze creditnota corrigeert factuur ${doc.corrects?.invoiceNumber}. Het bedrag wordt verrekend of binnen ${s.paymentTermDays} dagen terugbetaald.`
    : `Betalingsvoorwaarden: betaling binnen ${s.paymentTermDays} dagen na factuurdatum, uiterlijk ${nlDate(doc.dueOn!)}, op IBAN ${s.iban} ten name van ${s.name}, onder vermelding van ${doc.invoiceNumber}.`;
  pdf.text(terms, MARGIN, y, { width: 495 });

  // Page numbers
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // The footer sits below the bottom margin: without this pdfkit would start a new page for it.
    pdf.page.margins.bottom = 0;
    pdf.font(REGULAR).fontSize(8).fillColor('#444444');
    line(`${doc.invoiceNumber} — pagina ${i + 1} van ${range.count}`, MARGIN, 841.89 - 40, { width: 495, align: 'right' });
  }
  pdf.end();
  return done;
}
