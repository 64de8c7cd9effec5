import { parse } from 'csv-parse/sync';
import { BadRequest, type FieldError } from '../http/errors';

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

/**
 * Maps CSV records onto objects with exactly the `expected` columns (header names matched
 * case-insensitively, any order). A wrong header, or a record with the wrong number of fields,
 * is reported per record; the returned `errors` use `<listName>[i]` paths like the JSON body.
 */
export function csvToObjects(
  table: CsvTable,
  expected: readonly string[],
  listName: string,
): { objects: Record<string, string>[]; errors: FieldError[]; lines: number[] } {
  const lower = table.header.map((h) => h.toLowerCase());
  const errors: FieldError[] = [];
  const missing = expected.filter((e) => !lower.includes(e.toLowerCase()));
  const unknown = table.header.filter((h) => !expected.some((e) => e.toLowerCase() === h.toLowerCase()));
  if (missing.length || unknown.length || lower.length !== new Set(lower).size) {
    throw new BadRequest(`The CSV header must be ${expected.join(',')}.`, [
      ...missing.map((m) => ({ path: `header.${m}`, message: 'Missing column' })),
      ...unknown.map((u) => ({ path: `header.${u}`, message: 'Unknown column' })),
      ...(lower.length !== new Set(lower).size ? [{ path: 'header', message: 'Duplicate column' }] : []),
    ]);
  }
  const index = expected.map((e) => lower.indexOf(e.toLowerCase()));
  const objects = table.records.map((rec, i) => {
    if (rec.fields.length !== table.header.length) {
      errors.push({ path: `${listName}[${i}]`, message: `Line ${rec.line} has ${rec.fields.length} fields; expected ${table.header.length}` });
    }
    return Object.fromEntries(expected.map((name, j) => [name, rec.fields[index[j]] ?? '']));
  });
  return { objects, errors, lines: table.records.map((r) => r.line) };
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
