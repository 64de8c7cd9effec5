import { nl, type Messages } from './nl';
import { en } from './en';
import { dutchDate, englishDate } from '../domain/dates';

import type { Language } from './language';

export { LANGUAGES, isLanguage, type Language } from './language';
export type { Messages };

const catalogues: Record<Language, Messages> = { nl, en };

/** The catalogue of a language (the pages' `t`, the e-mails' texts). */
export function messages(lang: Language): Messages {
  return catalogues[lang];
}

/** A date in words: `19 december 2026` / `19 December 2026`. */
export function formatDate(lang: Language, isoDate: string): string {
  return lang === 'nl' ? dutchDate(isoDate) : englishDate(isoDate);
}

/** Money as the reader writes it: `€ 45,00` (nl) / `€45.00` (en). Takes euros as a number or decimal string. */
export function formatMoney(lang: Language, amount: number | string): string {
  const value = typeof amount === 'number' ? amount : Number(amount);
  const negative = value < 0;
  const [whole, cents] = Math.abs(value).toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'nl' ? '.' : ',');
  const sign = negative ? '-' : '';
  return lang === 'nl' ? `€ ${sign}${grouped},${cents}` : `${sign}€${grouped}.${cents}`;
}

/** Points with the language's decimal mark (`2,5` / `2.5`), no trailing zeros. */
export function formatPoints(lang: Language, points: number): string {
  const text = String(Math.round(points * 100) / 100);
  return lang === 'nl' ? text.replace('.', ',') : text;
}
