import { parse } from 'csv-parse/sync';
import { BadRequest, type FieldError } from '../domain/errors';

/**
 * CSV in and out, as Dutch spreadsheets produce and expect it.
 *
 * In: a real parser (csv-parse) for quotes, escaped quotes, line breaks inside quotes, a UTF-8
 * BOM, CRLF/LF/CR line ends; the separator (`,` `;` or tab) is read from the header line, since
 * Dutch Excel writes `;` (the comma is its decimal separator).
 *
 * Out: UTF-8 with a BOM (or Excel guesses Windows-1252 and mangles ë and é), `;` separators,
 * CRLF line ends, decimal commas, and cells that would start a formula neutralised.
 */

export interface CsvTable {
  /** Header names as written (trimmed). */
  header: string[];
  /** Data records with the 1-based line they start on. */
  records: { line: number; fields: string[] }[];
}

function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  const counts = [';', ',', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0].n > 0 ? counts[0].d : ',';
}

/** Excel's separator hint: a first line `sep=;` (written by Excel and by tools that target it). */
function separatorHint(text: string): string | undefined {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  return /^sep=(.)$/i.exec(firstLine.trim())?.[1];
}

/**
 * The bytes of an uploaded CSV as text. Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)"
 * in Windows-1252 and "CSV UTF-8" with a BOM; neither says so in the upload. A charset the sender
 * names wins; else bytes that are valid UTF-8 are UTF-8 (plain ASCII is both), and anything else
 * is Windows-1252 — so an é in a name arrives as é, not as a replacement character.
 */
export function decodeCsv(bytes: Uint8Array, contentType = ''): string {
  const charset = /charset="?([\w-]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // An unknown label: guess as below.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Parses CSV text into a header and records; a malformed file is a 400 naming the line. */
export function parseCsv(text: string): CsvTable {
  let parsed: { record: string[]; info: { lines: number } }[];
  const hint = separatorHint(text);
  try {
    parsed = parse(text, {
      bom: true,
      delimiter: hint ?? detectDelimiter(text),
      // Past the `sep=` line, with line numbers still counted from the top of the file.
      ...(hint ? { from_line: 2 } : {}),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Excel leaves rows of bare separators (";;") where cells were cleared.
      skip_records_with_empty_values: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    throw new BadRequest(`The CSV could not be read${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`, [
      { path: e.lines ? `line ${e.lines}` : '', message: e.code ?? 'Malformed CSV' },
    ]);
  }
  if (!parsed.length) throw new BadRequest('The CSV is empty.', [{ path: 'header', message: 'A header line is required' }]);
  const [head, ...rest] = parsed;
  // Excel ends every line with separators for columns that were once used ("a;b;c;;"): empty
  // header cells at the end, and the matching empty fields, are not columns.
  const header = head.record.map((h) => h.trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  const records = rest.map((r) => {
    const fields = [...r.record];
    while (fields.length > header.length && fields[fields.length - 1].trim() === '') fields.pop();
    return { line: r.info.lines, fields };
  });
  return { header, records };
}

/** A column of an upload: its field name and the header names people give it. */
export interface CsvColumn {
  name: string;
  /** Dutch header names; the first is the one messages use. */
  nl: readonly string[];
  /** English header names; the first is the one messages use. */
  en: readonly string[];
  /** The file may leave the column out (its cells are then empty). */
  optional?: boolean;
}

/** Header names as people type them: any case, with or without spaces, dashes and underscores. */
export const headerKey = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '');

const HEADER_MESSAGES = {
  en: {
    detail: (names: string) => `The CSV header must be ${names}.`,
    missing: (label: string) => `Missing column ${label}`,
    unknown: (header: string) => `Unknown column ${header}`,
    duplicate: (header: string) => `Column ${header} appears more than once`,
    fields: (n: number, expected: number, line: number) => `${n} fields instead of ${expected}, line ${line}`,
  },
  nl: {
    detail: (names: string) => `De kopregel van het CSV-bestand moet ${names} zijn.`,
    missing: (label: string) => `Kolom ${label} ontbreekt`,
    unknown: (header: string) => `Onbekende kolom ${header}`,
    duplicate: (header: string) => `Kolom ${header} staat er meer dan één keer in`,
    fields: (n: number, expected: number, line: number) => `${n} velden in plaats van ${expected}, regel ${line}`,
  },
} as const;

/**
 * Maps CSV records onto objects with exactly these columns, whose headers may come in any order,
 * case and spacing, in Dutch or English. A missing, unknown or repeated column is a 400 naming it
 * (paths `header.<name>`); a record with the wrong number of fields is reported per record, with
 * `<listName>[i]` paths like the JSON body. `language`: the messages' (the request's, when it
 * says); else the header's — Dutch when it uses a Dutch name that is not also English.
 */
export function csvToObjects(
  table: CsvTable,
  columns: readonly CsvColumn[],
  listName: string,
  language?: 'nl' | 'en',
): { objects: Record<string, string>[]; errors: FieldError[]; lines: number[]; language: 'nl' | 'en' } {
  const english = new Set(columns.flatMap((c) => c.en.map(headerKey)));
  const dutch = columns.flatMap((c) => c.nl.map(headerKey)).filter((k) => !english.has(k));
  const lang = language ?? (table.header.some((h) => dutch.includes(headerKey(h))) ? 'nl' : 'en');
  const t = HEADER_MESSAGES[lang];
  const columnOf = (h: string) => columns.find((c) => [...c.nl, ...c.en].some((n) => headerKey(n) === headerKey(h)));
  const index = new Map<string, number>();
  const errors: FieldError[] = [];
  const headerErrors: FieldError[] = [];
  table.header.forEach((h, i) => {
    const column = columnOf(h);
    if (!column) headerErrors.push({ path: `header.${h}`, message: t.unknown(h) });
    else if (index.has(column.name)) headerErrors.push({ path: 'header', message: t.duplicate(h) });
    else index.set(column.name, i);
  });
  const missing = columns.filter((c) => !c.optional && !index.has(c.name)).map((c) => ({ path: `header.${c.name}`, message: t.missing(c[lang][0]) }));
  if (missing.length || headerErrors.length) {
    const names = lang === 'nl' ? columns.map((c) => c.nl[0]).join(';') : columns.map((c) => c.en[0]).join(',');
    throw new BadRequest(t.detail(names), [...missing, ...headerErrors]);
  }
  const objects = table.records.map((rec, i) => {
    if (rec.fields.length !== table.header.length) {
      errors.push({ path: `${listName}[${i}]`, message: t.fields(rec.fields.length, table.header.length, rec.line) });
    }
    return Object.fromEntries(columns.map((c) => [c.name, index.has(c.name) ? (rec.fields[index.get(c.name)!] ?? '') : '']));
  });
  return { objects, errors, lines: table.records.map((r) => r.line), language: lang };
}

/** `15-03-1985` / `15/3/1985` / `15.03.1985` (how Dutch Excel rewrites dates) → `1985-03-15`; else unchanged. */
export function dutchDateToIso(value: string): string {
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value.trim());
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : value;
}

// ---------------------------------------------------------------- writing

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type Cell = string | number | boolean | null | undefined;

/** Decimal comma for Dutch spreadsheets: 7.5 → "7,5". */
export function decimalComma(n: number): string {
  return String(n).replace('.', ',');
}

function cell(value: Cell, delimiter: string): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? decimalComma(value) : String(value);
  // A cell starting with = + - @ (or a control character) is run as a formula by spreadsheets.
  if (/^[=+\-@\t\r]/.test(s) && typeof value !== 'number') s = `'${s}`;
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV document: BOM, header, rows, `;`, CRLF after every line. */
export function toCsv(header: readonly string[], rows: readonly Cell[][], delimiter = ';'): string {
  const lines = [header, ...rows].map((r) => r.map((v) => cell(v, delimiter)).join(delimiter));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
