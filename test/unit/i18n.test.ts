import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatPoints, messages } from '../../shared/i18n';
import { nl } from '../../shared/i18n/nl';
import { en } from '../../shared/i18n/en';

/** Every key path of a catalogue, with the kind of its value. */
function shape(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? shape(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}:${typeof v}`],
  );
}

describe('the message catalogues', () => {
  it('have the same keys, each a text or a function in both languages', () => {
    // The type (`en: Messages`) enforces this at compile time; this guards a cast that slips past it.
    expect(shape(en).sort()).toEqual(shape(nl).sort());
  });

  it('write dates in words, money and points as each language does', () => {
    expect(formatDate('nl', '2026-12-19')).toBe('19 december 2026');
    expect(formatDate('en', '2026-12-19')).toBe('19 December 2026');
    expect(formatMoney('nl', 45)).toBe('€ 45,00');
    expect(formatMoney('en', 45)).toBe('€45.00');
    expect(formatMoney('nl', '1234.5')).toBe('€ 1.234,50');
    expect(formatMoney('en', -1234.5)).toBe('-€1,234.50');
    expect(formatPoints('nl', 2.5)).toBe('2,5');
    expect(formatPoints('en', 2.5)).toBe('2.5');
    expect(formatPoints('nl', 12)).toBe('12');
    expect(messages('en').site.switchTo).toBe('Nederlands');
  });
});
