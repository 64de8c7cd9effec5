/**
 * Invoice arithmetic: pure, integer euro cents, no I/O. The rules follow EN 16931:
 * - a line's net amount is its price (quantity 1, no allowances or charges);
 * - per VAT rate, the taxable amount is the sum of that rate's line amounts, and the VAT is that
 *   sum × rate, rounded half up to the cent (BR-CO-17) — never the sum of per-line VAT amounts;
 * - net = Σ line amounts (BR-CO-10), VAT = Σ VAT per rate (BR-CO-14), total = net + VAT (BR-CO-15).
 * A credit note uses the same figures with the opposite sign: rounding is symmetric (half away
 * from zero), so a full credit note is exactly the negation of its invoice.
 */
export interface MoneyLine {
  netCents: number;
  /** VAT rate in percent, at most two decimals (21, 9, 0, 5.5 …). */
  vatRatePercent: number;
}

export interface VatBreakdown {
  vatRatePercent: number;
  /** Sum of the line amounts at this rate (taxable amount, BT-116). */
  netCents: number;
  /** VAT at this rate (BT-117). */
  vatCents: number;
}

export interface InvoiceTotals {
  netCents: number;
  vatCents: number;
  totalCents: number;
  /** One entry per distinct rate, highest rate first. */
  vatBreakdown: VatBreakdown[];
}

/** The rate in hundredths of a percent (basis points), refusing what cents arithmetic cannot carry exactly. */
export function rateBasisPoints(vatRatePercent: number): number {
  const bp = Math.round(vatRatePercent * 100);
  if (!Number.isFinite(vatRatePercent) || vatRatePercent < 0 || vatRatePercent > 100 || Math.abs(bp - vatRatePercent * 100) > 1e-6) {
    throw new RangeError(`VAT rate must be 0–100 with at most two decimals, got ${vatRatePercent}`);
  }
  return bp;
}

function assertCents(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number of cents, got ${value}`);
}

/**
 * VAT on an amount at a rate, rounded half up to the cent (half away from zero for negative
 * amounts, so credit notes mirror invoices). Exact: BigInt arithmetic, no floating point.
 */
export function vatOn(netCents: number, vatRatePercent: number): number {
  assertCents(netCents, 'netCents');
  const bp = BigInt(rateBasisPoints(vatRatePercent));
  const abs = BigInt(Math.abs(netCents));
  // round(abs × bp / 10000) half up = floor((2 × abs × bp + 10000) / 20000)
  const rounded = Number((2n * abs * bp + 10000n) / 20000n);
  return netCents < 0 && rounded ? -rounded : rounded;
}

/** Totals of a document from its lines (BR-CO-10, -14, -15, -17). */
export function invoiceTotals(lines: readonly MoneyLine[]): InvoiceTotals {
  const byRate = new Map<number, number>();
  for (const line of lines) {
    assertCents(line.netCents, 'line netCents');
    const bp = rateBasisPoints(line.vatRatePercent);
    byRate.set(bp, (byRate.get(bp) ?? 0) + line.netCents);
  }
  const vatBreakdown = [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([bp, netCents]) => ({ vatRatePercent: bp / 100, netCents, vatCents: vatOn(netCents, bp / 100) }));
  const netCents = vatBreakdown.reduce((s, b) => s + b.netCents, 0);
  const vatCents = vatBreakdown.reduce((s, b) => s + b.vatCents, 0);
  return { netCents, vatCents, totalCents: netCents + vatCents, vatBreakdown };
}

/** "1234.5" style decimal of cents for UBL (always two decimals, '.' separator). */
export function centsToDecimal(cents: number): string {
  assertCents(cents, 'cents');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "€ 1.234,50" as Dutch documents write euros. */
export function formatEuro(cents: number): string {
  assertCents(cents, 'cents');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}€ ${euros},${String(abs % 100).padStart(2, '0')}`;
}

/** "21" / "5,5" percent, Dutch style. */
export function formatRate(vatRatePercent: number): string {
  return String(rateBasisPoints(vatRatePercent) / 100).replace('.', ',');
}

/** UBL percent: "21" / "5.5". */
export function rateDecimal(vatRatePercent: number): string {
  return String(rateBasisPoints(vatRatePercent) / 100);
}
