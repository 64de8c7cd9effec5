import type { FieldError } from '../domain/errors';
import { textProblem } from '../schemas/common';

/**
 * The messages of a collective registration's CSV upload, in the file's language: each names the
 * value as the file has it and the line it is on (counting the header and a `sep=` line, as a
 * spreadsheet's row numbers do), e.g. `31-02-1990 is geen geldige datum (dd-mm-jjjj), regel 11`.
 * JSON bodies keep the schema's messages and paths alone.
 */

export type UploadLanguage = 'nl' | 'en';
/** How the file writes its dates: dd-mm-jjjj (Dutch Excel) or ISO. */
export type DateFormat = 'dmy' | 'iso';
export type UploadField = 'diplomaNumber' | 'birthDate' | 'email';

const FORMATS = { nl: { dmy: 'dd-mm-jjjj', iso: 'jjjj-mm-dd' }, en: { dmy: 'dd-mm-yyyy', iso: 'yyyy-mm-dd' } } as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const MESSAGES = {
  nl: {
    line: (n: number) => `regel ${n}`,
    invalid: {
      diplomaNumber: (v: string) => `${v} is geen geldig diplomanummer (4 tot 32 letters, cijfers of streepjes)`,
      birthDate: (v: string, format: string) => `${v} is geen geldige datum (${format})`,
      email: (v: string) => `${v} is geen geldig e-mailadres`,
    },
    missing: {
      diplomaNumber: () => 'Diplomanummer ontbreekt',
      birthDate: (format: string) => `Geboortedatum ontbreekt (${format})`,
      email: () => 'E-mailadres ontbreekt',
    },
    badCharacter: (label: string, where: string) => `${label} bevat een teken dat niet is toegestaan (${where.replace(' at character ', ' op positie ')})`,
    labels: { diplomaNumber: 'Diplomanummer', birthDate: 'Geboortedatum', email: 'E-mailadres' },
    // One message for an unknown number and a wrong birth date: telling them apart would say who holds a diploma.
    notInRegister: (number: string, birthDate: string) => `Geen diploma met nummer ${number} en geboortedatum ${birthDate} in het register`,
    duplicate: (v: string, line: number) => `Diplomanummer ${v} staat ook op regel ${line}`,
    tooFew: (n: number, min: number) => `Een collectieve registratie vraagt minstens ${min} werknemers; dit bestand heeft er ${n}`,
    tooMany: (n: number, max: number) => `Een collectieve registratie neemt hoogstens ${max} werknemers; dit bestand heeft er ${n}`,
    summary: (errors: number, lines: number) =>
      `${plural(errors, 'fout', 'fouten')} op ${plural(lines, 'regel', 'regels')}; er is niemand geregistreerd.`,
    tooManyDetail: 'Te veel werknemers.',
    inventory: {
      tooFew: (n: number, min: number) => `Een inventarisatie vraagt minstens ${min} ${min === 1 ? 'werknemer' : 'werknemers'}; dit bestand heeft er ${n}`,
      tooMany: (n: number, max: number) => `Een inventarisatie neemt hoogstens ${max} werknemers; dit bestand heeft er ${n}`,
      summary: (errors: number, lines: number) =>
        `${plural(errors, 'fout', 'fouten')} op ${plural(lines, 'regel', 'regels')}; er is niets opgezocht.`,
    },
  },
  en: {
    line: (n: number) => `line ${n}`,
    invalid: {
      diplomaNumber: (v: string) => `${v} is not a valid diploma number (4 to 32 letters, digits or dashes)`,
      birthDate: (v: string, format: string) => `${v} is not a valid date (${format})`,
      email: (v: string) => `${v} is not a valid e-mail address`,
    },
    missing: {
      diplomaNumber: () => 'Diploma number missing',
      birthDate: (format: string) => `Birth date missing (${format})`,
      email: () => 'E-mail address missing',
    },
    badCharacter: (label: string, where: string) => `${label} contains a character that is not allowed (${where})`,
    labels: { diplomaNumber: 'Diploma number', birthDate: 'Birth date', email: 'E-mail address' },
    notInRegister: (number: string, birthDate: string) => `No diploma with number ${number} and birth date ${birthDate} in the register`,
    duplicate: (v: string, line: number) => `Diploma number ${v} is also on line ${line}`,
    tooFew: (n: number, min: number) => `A collective registration needs at least ${min} employees; this file has ${n}`,
    tooMany: (n: number, max: number) => `A collective registration takes at most ${max} employees; this file has ${n}`,
    summary: (errors: number, lines: number) => `${plural(errors, 'error', 'errors')} on ${plural(lines, 'line', 'lines')}; nobody was registered.`,
    tooManyDetail: 'Too many employees.',
    inventory: {
      tooFew: (n: number, min: number) => `An inventory needs at least ${min} ${min === 1 ? 'employee' : 'employees'}; this file has ${n}`,
      tooMany: (n: number, max: number) => `An inventory takes at most ${max} employees; this file has ${n}`,
      summary: (errors: number, lines: number) => `${plural(errors, 'error', 'errors')} on ${plural(lines, 'line', 'lines')}; nothing was looked up.`,
    },
  },
} as const;

export const uploadMessages = (language: UploadLanguage) => MESSAGES[language];

/** What an upload is for: a collective registration, or an inventory (which registers nobody). */
export type UploadKind = 'registration' | 'inventory';

/** The messages that depend on what the upload is for: the count's and the summary of a 400. */
export function listMessages(language: UploadLanguage, kind: UploadKind) {
  const m = MESSAGES[language];
  return kind === 'inventory' ? m.inventory : { tooFew: m.tooFew, tooMany: m.tooMany, summary: m.summary };
}

/** A cell as the file has it, cut short: a message quotes it, it need not repeat a whole paragraph. */
export function shown(value: string): string {
  const v = value.trim();
  return v.length > 40 ? `${v.slice(0, 39)}…` : v;
}

/** The message for a cell the schema refused, with its line. */
export function cellMessage(language: UploadLanguage, field: UploadField, cell: string, line: number, dateFormat: DateFormat): string {
  const m = MESSAGES[language];
  const format = FORMATS[language][dateFormat];
  // A control or bidi character is named by its code point, never echoed (issue 12).
  const problem = textProblem(cell);
  const where = problem && /\(([^()]*)\)$/.exec(problem)?.[1];
  const text = where
    ? m.badCharacter(m.labels[field], where)
    : cell.trim() === ''
      ? m.missing[field](format)
      : m.invalid[field](shown(cell), format);
  return `${text}, ${m.line(line)}`;
}

/** A message about a row, with its line. */
export function onLine(language: UploadLanguage, message: string, line: number): string {
  return `${message}, ${MESSAGES[language].line(line)}`;
}

const FIELD_ORDER: Record<string, number> = { diplomaNumber: 1, birthDate: 2, email: 3 };

/**
 * Errors in file order: the header's and the count's first, then row by row (a whole row's before
 * its fields', fields in column order), whatever check found them.
 */
export function inFileOrder(errors: readonly FieldError[]): FieldError[] {
  const rank = (e: FieldError): [number, number] => {
    const m = /^employees\[(\d+)\](?:\.(\w+))?/.exec(e.path);
    if (!m) return [-1, 0];
    return [Number(m[1]), m[2] ? (FIELD_ORDER[m[2]] ?? 4) : 0];
  };
  return errors
    .map((e, i) => ({ e, i, r: rank(e) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
    .map((x) => x.e);
}
