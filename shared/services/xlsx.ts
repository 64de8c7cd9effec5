import type ExcelJSModule from 'exceljs';
import type { Language } from '../i18n/language';
import type { ColumnKind, ExportTable, TotalCell } from './report-export';

/**
 * A download table as an Excel workbook (exceljs): one sheet with the table's columns, dates as
 * Excel dates and points as numbers (so a spreadsheet sorts, filters and sums them), the header
 * row frozen with an autofilter, column widths that fit their contents, and the totals in a row
 * of their own under the data (a blank row between, so sorting and filtering leave it alone).
 *
 * exceljs (~1.1 MiB) is imported on first use, and only here: the Lambda bundles leave it out and
 * carry it beside themselves (SHIPPED_APART in infra/constructs/pe-function.ts), so a function
 * that answers JSON or CSV neither loads nor parses it.
 */

const DATE_FORMAT: Record<Language, string> = { nl: 'dd-mm-yyyy', en: 'yyyy-mm-dd' };
const POINTS_FORMAT = '0.00';
/** exceljs's default font: a row's font replaces it whole, so bold keeps the rest. */
const BOLD = { name: 'Calibri', family: 2, size: 11, bold: true };
const MIN_WIDTH = 10;
const MAX_WIDTH = 50;

/** An ISO calendar date as the Date exceljs writes as that day (its serial dates count in UTC). */
function excelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** Excel's number format for a count or sum with its label: `[=1]0" werknemer";0" werknemers"`. */
function labelledFormat(cell: TotalCell, lang: Language): string {
  const [one, many] = cell.label[lang];
  const number = cell.kind === 'points' ? POINTS_FORMAT : '0';
  const quoted = (label: string) => `"${label.replace(/"/g, '')}"`;
  return one === many ? `${number}${quoted(` ${one}`)}` : `[=1]${number}${quoted(` ${one}`)};${number}${quoted(` ${many}`)}`;
}

/** How wide a value shows, in characters (dates as dd-mm-yyyy, points as 12.25). */
function shownLength(kind: ColumnKind, value: string | number | null): number {
  if (value === null) return 0;
  if (kind === 'date') return 10;
  return String(value).length;
}

export async function workbook<R>(table: ExportTable<R>, lang: Language): Promise<Buffer> {
  const ExcelJS: typeof ExcelJSModule = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  book.creator = 'pe-register';
  book.created = new Date();
  const sheet = book.addWorksheet(table.sheet[lang], {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    // Printed, the table fits the page's width (landscape), the header on every page.
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });

  const header = sheet.addRow(table.columns.map((c) => c.header[lang]));
  header.font = BOLD;
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
    cell.border = { bottom: { style: 'thin' } };
  });

  const widths = table.columns.map((c) => c.header[lang].length);
  for (const row of table.rows) {
    const values = table.columns.map((c) => c.value(row, lang));
    const added = sheet.addRow(values.map((v, i) => (v !== null && table.columns[i].kind === 'date' ? excelDate(String(v)) : v)));
    values.forEach((v, i) => {
      widths[i] = Math.max(widths[i], shownLength(table.columns[i].kind, v));
      const kind = table.columns[i].kind;
      if (v === null) return;
      if (kind === 'date') added.getCell(i + 1).numFmt = DATE_FORMAT[lang];
      if (kind === 'points') added.getCell(i + 1).numFmt = POINTS_FORMAT;
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: table.rows.length + 1, column: table.columns.length } };

  if (table.totals) {
    sheet.addRow([]);
    const totals = sheet.addRow([table.totals.label[lang]]);
    totals.font = BOLD;
    let column = 1;
    for (const t of table.totals.cells) {
      column = t.column ?? column;
      const cell = totals.getCell(column + 1);
      cell.value = t.value;
      cell.numFmt = labelledFormat(t, lang);
      widths[column] = Math.max(widths[column], String(t.value).length + Math.max(...t.label[lang].map((l) => l.length)) + 1);
      column++;
    }
    totals.eachCell({ includeEmpty: false }, (cell) => {
      cell.border = { top: { style: 'thin' } };
    });
  }

  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 3));
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
