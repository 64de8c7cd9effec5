import { describe, expect, it } from 'vitest';
import { surnameKey } from '../../shared/domain/names';
import { lastValidDay } from '../../shared/domain/periods';

describe('the surname search key', () => {
  it.each([
    ['de Vries', 'vries'],
    ['De Vries', 'vries'],
    ['Vries', 'vries'],
    ['vries, de', 'vries'],
    ['Vriës', 'vries'],
    ['van der Berg', 'berg'],
    ['Berg, van der', 'berg'],
    ["in 't Veld", 'veld'],
    ['in ’t Veld', 'veld'],
    ['op de Beek', 'beek'],
    ["d'Ancona", 'ancona'],
    ["'s-Gravesande", 'gravesande'],
    ['ten Cate', 'cate'],
    ['Jansen-de Vries', 'jansendevries'],
    ['van Gogh-de Wit', 'goghdewit'],
  ])('%s → %s', (typed, key) => {
    expect(surnameKey(typed)).toBe(key);
  });

  it('keeps a surname that is itself a prefix word, and leaves nothing of a prefix alone after a comma', () => {
    expect(surnameKey('Van')).toBe('van');
    expect(surnameKey('de Van')).toBe('van');
    expect(surnameKey(', de')).toBe('');
  });
});

describe('the last valid day', () => {
  it('is the day before the exclusive end, across month and leap-day boundaries', () => {
    expect(lastValidDay('2026-12-20')).toBe('2026-12-19');
    expect(lastValidDay('2027-03-01')).toBe('2027-02-28');
    expect(lastValidDay('2028-03-01')).toBe('2028-02-29');
    expect(lastValidDay('2027-01-01')).toBe('2026-12-31');
  });
});
