import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFKitDocument from 'pdfkit';
import { formatEuro, formatRate } from '../domain/invoice-math';
import { KIND_NL, deliveryPeriod, documentTitle, linePeriod, type DateRange, type InvoiceDocument } from './model';

/**
 * The PDF of an issued invoice or credit note (Dutch), with every field the Dutch VAT act
 * (Wet OB art. 35a) and the trade register decree (Handelsregisterbesluit art. 20) ask for:
 * supplier and customer name and address, the supplier's KvK and VAT numbers (and the
 * customer's VAT number when known), a unique sequential invoice number, the invoice date, the
 * period of supply, per line what was supplied (quantity 1, the registration period) and its
 * amount, the net amount per VAT rate, the rate and the VAT, the total, and the payment terms.
 * All figures come from the stored document (computed once by domain/invoice-math).
 */
type PDFDoc = InstanceType<typeof PDFKitDocument>;

/**
 * pdfkit is imported on first use: in the Lambda bundles it is shipped apart (SHIPPED_APART in
 * infra/constructs/pe-function.ts), so the invoicing worker's cold start does not parse it and its
 * fonts, and no other function carries it. Shipped apart it is a CommonJS module, whose namespace
 * is `{ default: module.exports }`; in Node it is the package's own ESM build.
 */
type PdfKit = { PDFDocument: typeof PDFKitDocument; bundledFonts?: InvoiceFonts };
let pdfkitLoaded: Promise<PdfKit> | undefined;
function loadPdfkit(): Promise<PdfKit> {
  pdfkitLoaded ??= import('pdfkit').then((mod) => {
    const m = mod as unknown as { default: unknown; invoiceFonts?: InvoiceFonts };
    const lib = (typeof m.default === 'function' ? m : m.default) as { default: typeof PDFKitDocument; invoiceFonts?: InvoiceFonts };
    return { PDFDocument: lib.default, bundledFonts: lib.invoiceFonts };
  });
  return pdfkitLoaded;
}

/**
 * All text is set in DejaVu Sans (regular and bold), embedded: pdfkit's standard fonts are
 * WinAnsi (Latin-1), which printed "P. Ćorić" as "P. f÷ ip". DejaVu covers Latin Extended-A/B and
 * Vietnamese; pdfkit embeds only the glyphs a document uses (a subset: a one-line invoice is ~25 KB)
 * with a ToUnicode map, so its text can still be searched, copied and read back by the tests.
 *
 * In Node the TrueType files are read from their package. On Lambda the shipped-apart `pdfkit` is
 * built from infra/bundling/pdfkit, which also exports the two files as bytes (esbuild's binary
 * loader; see infra/bundling/ship-apart.ts).
 */
export interface InvoiceFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}
let fonts: InvoiceFonts | undefined;
function invoiceFonts(bundled: InvoiceFonts | undefined): InvoiceFonts {
  if (fonts) return fonts;
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
const PAGE_HEIGHT = 841.89;
/** The right edge of the text area (A4 is 595.28 wide). */
const RIGHT = 545;
const PAGE_BOTTOM = PAGE_HEIGHT - 70;

/** dd-mm-yyyy, as Dutch documents write dates. */
export function nlDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}-${m}-${y}`;
}

/** Both days inclusive: "15-01-2027 t/m 14-01-2029". */
export const nlRange = (r: DateRange) => `${nlDate(r.from)} t/m ${nlDate(r.to)}`;

const MONTHS_NL = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

// ---------------------------------------------------------------- layout

/**
 * Text is laid out as boxes: every value wraps within its own box's width, and the next row
 * starts below the tallest box of the row before, so a long reference, reason or name takes
 * more lines instead of running over the next field (values used to be drawn unwrapped at fixed
 * positions, and a credit note's long reference overprinted its neighbour).
 */
export type TextStyle = 'title' | 'heading' | 'label' | 'body' | 'customer' | 'table-head' | 'table' | 'total' | 'footer';
const STYLES: Record<TextStyle, { font: string; size: number }> = {
  title: { font: BOLD, size: 18 },
  heading: { font: BOLD, size: 10 },
  label: { font: BOLD, size: 9 },
  body: { font: REGULAR, size: 9 },
  customer: { font: REGULAR, size: 10 },
  'table-head': { font: BOLD, size: 8 },
  table: { font: REGULAR, size: 8 },
  total: { font: BOLD, size: 9 },
  footer: { font: REGULAR, size: 8 },
};

export interface TextBox {
  /** What the box shows (`customer`, `fact:Factuurnummer:value`, …), for tests and debugging. */
  id: string;
  x: number;
  y: number;
  width: number;
  /** As the text wraps in this width. */
  height: number;
  text: string;
  style: TextStyle;
  align?: 'left' | 'right';
}

/** The height `text` takes in `style`, wrapped to `width`. */
export type Measure = (text: string, style: TextStyle, width: number) => number;

function box(measure: Measure, id: string, x: number, y: number, width: number, text: string, style: TextStyle, align?: 'left' | 'right'): TextBox {
  return { id, x, y, width, height: measure(text, style, width), text, style, ...(align ? { align } : {}) };
}
const bottomOf = (boxes: TextBox[], fallback: number) => Math.max(fallback, ...boxes.map((b) => b.y + b.height));

/** The document's facts (number, dates, periods, references) as label/value rows at the top right. */
export function documentFacts(doc: InvoiceDocument): [label: string, value: string][] {
  const credit = doc.documentType === 'credit-note';
  return [
    [credit ? 'Creditnotanummer' : 'Factuurnummer', doc.invoiceNumber],
    [credit ? 'Datum creditnota' : 'Factuurdatum', nlDate(doc.issuedOn)],
    ...(doc.dueOn ? ([['Vervaldatum', nlDate(doc.dueOn)]] as [string, string][]) : []),
    // A collective invoice bills the periods started in one month; what they cover runs for years.
    ...(doc.kind === 'collective' ? ([['Factuurmaand', `${MONTHS_NL[Number(doc.period.from.slice(5, 7)) - 1]} ${doc.period.from.slice(0, 4)}`]] as [string, string][]) : []),
    ['Leveringsperiode', nlRange(deliveryPeriod(doc))],
    ['Uw referentie', doc.buyerReference],
    ...(doc.corrects ? ([['Correctie op factuur', `${doc.corrects.invoiceNumber} van ${nlDate(doc.corrects.issuedOn)}`]] as [string, string][]) : []),
    ...(doc.supplements ? ([['Aanvulling op factuur', `${doc.supplements.invoiceNumber} van ${nlDate(doc.supplements.issuedOn)}`]] as [string, string][]) : []),
  ];
}

function customerLines(doc: InvoiceDocument): string[] {
  const c = doc.customer;
  return [
    c.name,
    c.addressName,
    c.street,
    c.postalCode || c.city ? `${c.postalCode ?? ''} ${c.city ?? ''}`.trim() : undefined,
    c.country === 'NL' ? 'Nederland' : c.country,
    c.kvkNumber ? `KvK ${c.kvkNumber}` : undefined,
    c.vatNumber ? `Btw-nr. ${c.vatNumber}` : undefined,
    c.registrationNumber ? `Registratienummer ${c.registrationNumber}` : undefined,
    c.email,
  ].filter((v): v is string => Boolean(v));
}

/**
 * The first page's header as boxes: title and supplier, then the customer beside the document
 * facts, then (credit notes) the reason. Pure given `measure`: buildPdf draws exactly these, and
 * tests check that no two of them overlap.
 */
export function headerLayout(doc: InvoiceDocument, measure: Measure): { boxes: TextBox[]; bottom: number } {
  const s = doc.supplier;
  const boxes: TextBox[] = [];

  // Row 1: the title at the left, the supplier at the right.
  const title = box(measure, 'title', MARGIN, MARGIN, 236, documentTitle(doc), 'title');
  const supplierName = box(measure, 'supplier-name', 300, MARGIN, RIGHT - 300, s.name, 'heading', 'right');
  const supplierDetails = box(
    measure,
    'supplier',
    300,
    supplierName.y + supplierName.height + 2,
    RIGHT - 300,
    [s.street, `${s.postalCode} ${s.city}`, s.country === 'NL' ? 'Nederland' : s.country, `KvK ${s.kvkNumber}`, `Btw-nr. ${s.vatNumber}`, `IBAN ${s.iban}${s.bic ? ` (BIC ${s.bic})` : ''}`, s.email].join('\n'),
    'body',
    'right',
  );
  boxes.push(title, supplierName, supplierDetails);

  // Row 2: the customer at the left, the facts at the right (each fact row below the taller of its label and value).
  const top = Math.max(150, bottomOf(boxes, 0) + 20);
  const to = box(measure, 'customer-label', MARGIN, top, 236, 'Aan', 'label');
  const customer = box(measure, 'customer', MARGIN, to.y + to.height + 3, 236, customerLines(doc).join('\n'), 'customer');
  boxes.push(to, customer);
  let y = top;
  for (const [label, value] of documentFacts(doc)) {
    const l = box(measure, `fact:${label}`, 292, y, 118, `${label}:`, 'label');
    const v = box(measure, `fact:${label}:value`, 412, y, RIGHT - 412, value, 'body');
    boxes.push(l, v);
    y = bottomOf([l, v], y) + 3;
  }

  // Row 3: why a credit note corrects its invoice, across the page.
  let bottom = bottomOf(boxes, 0);
  if (doc.reason) {
    const reason = box(measure, 'reason', MARGIN, bottom + 14, RIGHT - MARGIN, `Reden: ${doc.reason}`, 'body');
    boxes.push(reason);
    bottom = reason.y + reason.height;
  }
  return { boxes, bottom };
}

const COLS: { key: string; title: string; x: number; w: number; align?: 'right' }[] = [
  { key: 'nr', title: 'Nr', x: 50, w: 20 },
  { key: 'name', title: 'Naam', x: 74, w: 126 },
  { key: 'regno', title: 'Registratienr.', x: 204, w: 64 },
  { key: 'kind', title: 'Soort', x: 272, w: 56 },
  { key: 'period', title: 'Periode (van – t/m)', x: 332, w: 114 },
  { key: 'rate', title: 'Btw', x: 450, w: 32, align: 'right' },
  { key: 'amount', title: 'Excl. btw', x: 486, w: RIGHT - 486, align: 'right' },
];

/** Measures with the document's own fonts, as pdfkit will wrap the text. */
function measureWith(pdf: PDFDoc): Measure {
  return (text, style, width) => pdf.font(STYLES[style].font).fontSize(STYLES[style].size).heightOfString(text, { width });
}

async function newPdf(info?: Record<string, string>): Promise<PDFDoc> {
  const { PDFDocument, bundledFonts } = await loadPdfkit();
  const ttf = invoiceFonts(bundledFonts);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    // The default font too, or pdfkit would load Helvetica (which the bundle does not carry).
    font: ttf.regular,
    ...(info ? { info } : {}),
  });
  pdf.registerFont(REGULAR, ttf.regular).registerFont(BOLD, ttf.bold);
  return pdf;
}

/** The header boxes buildPdf draws for this document (measured with the embedded fonts). */
export async function invoiceHeaderLayout(doc: InvoiceDocument): Promise<{ boxes: TextBox[]; bottom: number }> {
  return headerLayout(doc, measureWith(await newPdf()));
}

export async function buildPdf(doc: InvoiceDocument): Promise<Buffer> {
  const credit = doc.documentType === 'credit-note';
  const pdf = await newPdf({
    Title: `${documentTitle(doc)} ${doc.invoiceNumber}`,
    Author: doc.supplier.name,
    Subject: 'Registratiekosten PE-register',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const measure = measureWith(pdf);
  const draw = (b: Pick<TextBox, 'x' | 'y' | 'width' | 'text' | 'style' | 'align'>) =>
    pdf.font(STYLES[b.style].font).fontSize(STYLES[b.style].size).text(b.text, b.x, b.y, { width: b.width, align: b.align ?? 'left' });
  const s = doc.supplier;

  const header = headerLayout(doc, measure);
  for (const b of header.boxes) draw(b);
  let y = header.bottom + 20;

  // Lines: a row is as tall as its tallest cell; a row that does not fit starts a new page.
  const rule = (x0: number, x1: number, at: number) => pdf.strokeColor('#888888').lineWidth(0.5).moveTo(x0, at).lineTo(x1, at).stroke();
  const row = (values: Record<string, string>, style: TextStyle) => {
    const height = Math.max(...COLS.map((col) => measure(values[col.key], style, col.w)));
    return { height, draw: () => COLS.forEach((col) => draw({ x: col.x, y, width: col.w, text: values[col.key], style, align: col.align })) };
  };
  const tableHead = () => {
    const head = row(Object.fromEntries(COLS.map((col) => [col.key, col.title])), 'table-head');
    head.draw();
    y += head.height + 3;
    rule(MARGIN, RIGHT, y - 1.5);
  };
  tableHead();
  doc.lines.forEach((l, i) => {
    const r = row(
      {
        nr: String(i + 1),
        name: l.name,
        regno: l.registrationNumber,
        kind: KIND_NL[l.kind],
        period: nlRange(linePeriod(l)),
        rate: `${formatRate(l.vatRatePercent)}%`,
        amount: formatEuro(l.netCents),
      },
      'table',
    );
    if (y + r.height > PAGE_BOTTOM) {
      pdf.addPage();
      y = MARGIN;
      tableHead();
    }
    r.draw();
    y += r.height + 2;
  });

  // Totals: net per rate, VAT per rate, totals.
  const totals: [string, number, boolean][] = [
    ...doc.vatBreakdown.map((b) => [`Netto ${formatRate(b.vatRatePercent)}% btw`, b.netCents, false] as [string, number, boolean]),
    ...doc.vatBreakdown.map((b) => [`Btw ${formatRate(b.vatRatePercent)}% over ${formatEuro(b.netCents)}`, b.vatCents, false] as [string, number, boolean]),
    ['Totaal excl. btw', doc.netCents, false],
    ['Totaal btw', doc.vatCents, false],
    [credit ? 'Totaal te crediteren' : 'Totaal te betalen', doc.totalCents, true],
  ];
  const totalRows = totals.map(([label, cents, bold]) => {
    const style: TextStyle = bold ? 'total' : 'body';
    const labelBox = { x: 300, width: 160, text: label, style };
    const amountBox = { x: 464, width: RIGHT - 464, text: formatEuro(cents), style, align: 'right' as const };
    return { labelBox, amountBox, height: Math.max(measure(label, style, labelBox.width), measure(amountBox.text, style, amountBox.width)) };
  });
  const terms = credit
    ? `Deze creditnota corrigeert factuur ${doc.corrects?.invoiceNumber}. Het bedrag wordt verrekend of binnen ${s.paymentTermDays} dagen terugbetaald.`
    : `Betalingsvoorwaarden: betaling binnen ${s.paymentTermDays} dagen na factuurdatum, uiterlijk ${nlDate(doc.dueOn!)}, op IBAN ${s.iban} ten name van ${s.name}, onder vermelding van ${doc.invoiceNumber}.`;
  const termsHeight = measure(terms, 'body', RIGHT - MARGIN);
  // Totals and terms stay together on one page.
  if (y + 14 + totalRows.reduce((sum, r) => sum + r.height + 4, 0) + 12 + termsHeight > PAGE_BOTTOM) {
    pdf.addPage();
    y = MARGIN;
  }
  y += 8;
  rule(300, RIGHT, y);
  y += 6;
  for (const r of totalRows) {
    draw({ ...r.labelBox, y });
    draw({ ...r.amountBox, y });
    y += r.height + 4;
  }

  // Payment terms
  y += 12;
  draw({ x: MARGIN, y, width: RIGHT - MARGIN, text: terms, style: 'body' });

  // Page numbers
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // The footer sits below the bottom margin: without this pdfkit would start a new page for it.
    pdf.page.margins.bottom = 0;
    pdf.fillColor('#444444');
    draw({ x: MARGIN, y: PAGE_HEIGHT - 40, width: RIGHT - MARGIN, text: `${doc.invoiceNumber} — pagina ${i + 1} van ${range.count}`, style: 'footer', align: 'right' });
  }
  pdf.end();
  return done;
}
