import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { centsToDecimal, formatEuro, formatRate, invoiceTotals, rateBasisPoints, vatOn } from '../../shared/domain/invoice-math';

const rate = fc.constantFrom(0, 9, 21, 5.5, 12.75, 100);
const line = fc.record({ netCents: fc.integer({ min: 0, max: 10_000_000 }), vatRatePercent: rate });

describe('vatOn: rounding half up to the cent', () => {
  it.each([
    [50, 21, 11], // 10.5 → 11 (half up)
    [150, 9, 14], // 13.5 → 14
    [4995, 21, 1049], // 1048.95 → 1049
    [2, 21, 0], // 0.42 → 0
    [0, 21, 0],
    [1000, 0, 0],
    [1, 50, 1], // 0.5 → 1
    [-50, 21, -11], // credit notes mirror invoices (half away from zero)
    [333, 5.5, 18], // 18.315 → 18
  ])('%i cents at %s %% → %i', (net, r, vat) => {
    expect(vatOn(net, r)).toBe(vat);
  });

  it('equals the exact decimal rounding for any amount and rate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 0, max: 10_000 }), (net, bp) => {
        const exactTimes10000 = net * bp; // VAT × 10000, exact in a double below 2^53
        const expected = Math.floor(exactTimes10000 / 10000) + (exactTimes10000 % 10000 >= 5000 ? 1 : 0);
        expect(vatOn(net, bp / 100)).toBe(expected);
        expect(vatOn(-net, bp / 100)).toBe(-expected || 0);
      }),
    );
  });

  it('refuses rates cents arithmetic cannot carry, and fractional cents', () => {
    expect(() => rateBasisPoints(21.125)).toThrow(RangeError);
    expect(() => rateBasisPoints(-1)).toThrow(RangeError);
    expect(() => vatOn(10.5, 21)).toThrow(RangeError);
  });
});

describe('invoiceTotals (EN 16931 BR-CO-10/14/15/17)', () => {
  it('computes VAT per rate on the sum of that rate, not per line', () => {
    // Three lines of 0,50 at 21 %: per line 0,105 → 0,11 each = 0,33; on the sum 1,50 → 0,315 → 0,32.
    const t = invoiceTotals([
      { netCents: 50, vatRatePercent: 21 },
      { netCents: 50, vatRatePercent: 21 },
      { netCents: 50, vatRatePercent: 21 },
      { netCents: 1000, vatRatePercent: 9 },
    ]);
    expect(t.vatBreakdown).toEqual([
      { vatRatePercent: 21, netCents: 150, vatCents: 32 },
      { vatRatePercent: 9, netCents: 1000, vatCents: 90 },
    ]);
    expect(t).toMatchObject({ netCents: 1150, vatCents: 122, totalCents: 1272 });
  });

  it('holds net = Σ lines, VAT = Σ VAT per rate = Σ round(sum × rate), total = net + VAT (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), (lines) => {
        const t = invoiceTotals(lines);
        expect(t.netCents).toBe(lines.reduce((s, l) => s + l.netCents, 0));
        expect(t.totalCents).toBe(t.netCents + t.vatCents);
        expect(t.vatCents).toBe(t.vatBreakdown.reduce((s, b) => s + b.vatCents, 0));
        const rates = [...new Set(lines.map((l) => l.vatRatePercent))];
        expect(t.vatBreakdown.map((b) => b.vatRatePercent).sort()).toEqual(rates.sort());
        for (const b of t.vatBreakdown) {
          const sum = lines.filter((l) => l.vatRatePercent === b.vatRatePercent).reduce((s, l) => s + l.netCents, 0);
          expect(b.netCents).toBe(sum);
          expect(b.vatCents).toBe(vatOn(sum, b.vatRatePercent));
        }
      }),
    );
  });

  it('a full credit note is exactly the negation of its invoice (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        const inv = invoiceTotals(lines);
        const cn = invoiceTotals(lines.map((l) => ({ ...l, netCents: -l.netCents })));
        // (`|| 0`: an all-zero document negates to 0, not -0)
        expect(cn.netCents).toBe(-inv.netCents || 0);
        expect(cn.vatCents).toBe(-inv.vatCents || 0);
        expect(cn.totalCents).toBe(-inv.totalCents || 0);
      }),
    );
  });

  it('orders the breakdown from the highest rate down and never mixes integers with floats', () => {
    const t = invoiceTotals([{ netCents: 1, vatRatePercent: 9 }, { netCents: 1, vatRatePercent: 21 }, { netCents: 1, vatRatePercent: 0 }]);
    expect(t.vatBreakdown.map((b) => b.vatRatePercent)).toEqual([21, 9, 0]);
    for (const b of t.vatBreakdown) expect(Number.isInteger(b.vatCents)).toBe(true);
  });
});

describe('formatting', () => {
  it('writes UBL decimals and Dutch euros', () => {
    expect(centsToDecimal(123456)).toBe('1234.56');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(-1049)).toBe('-10.49');
    expect(formatEuro(123456789)).toBe('€ 1.234.567,89');
    expect(formatEuro(-6044)).toBe('-€ 60,44');
    expect(formatRate(5.5)).toBe('5,5');
  });
});
