import { BadRequest, type FieldError } from '../domain/errors';
import type { Language } from '../i18n';
import type { ParsedRows, UploadRow } from '../services/employers/rows';
import { uploadMessages } from '../services/upload-messages';
import { Alert, Heading, Paragraph, Table } from './components';

/*
 * The 400 of an uploaded list of employees (a collective registration's or an inventory's rows:
 * shared/services/employers/rows.ts) as a table for a page: the line, the column, what is wrong —
 * one reading of the service's errors for every page that takes such a list.
 */

export interface BadRow {
  line?: number;
  field: string;
  problem: string;
}

/** The words of the table's column "Kolom" and of a file that cannot be read, in the page's language. */
export interface UploadErrorWords {
  wholeFile: string;
  header: string;
  wholeRow: string;
  notCsv: string;
}

/**
 * The service's errors as table rows. `offset`: lines in front of the user's own (a header the
 * page added to pasted rows), taken off every line number, the messages' too ("staat ook op regel 3").
 */
export function badRows(lang: Language, words: UploadErrorWords, err: BadRequest, parsed: ParsedRows<UploadRow> | undefined, offset = 0): BadRow[] {
  const labels: Record<string, string> = uploadMessages(lang).labels;
  const fieldErrors: FieldError[] = err.errors?.length ? err.errors : [{ path: '', message: err.message }];
  const lines = (message: string) => (offset ? message.replace(/\b(regel|line) (\d+)/g, (_, w: string, n: string) => `${w} ${Number(n) - offset}`) : message);
  return fieldErrors.map((e) => {
    const row = /^employees\[(\d+)\](?:\.(\w+))?$/.exec(e.path);
    // The table has a column for the line: the message need not repeat it.
    const problem = lines(e.message.replace(/, (regel|line) \d+$/, ''));
    if (row) {
      const line = parsed?.file?.lines[Number(row[1])];
      return { line: line === undefined ? undefined : line - offset, field: row[2] ? (labels[row[2]] ?? row[2]) : words.wholeRow, problem };
    }
    // An empty file has no header at all: the parser's (English) words would not help.
    if (e.path === 'header' && !parsed) return { field: words.wholeFile, problem: words.notCsv };
    if (e.path.startsWith('header')) return { line: 1, field: words.header, problem };
    const lineOf = /^line (\d+)$/.exec(e.path);
    if (lineOf) return { line: Number(lineOf[1]) - offset, field: words.wholeRow, problem: words.notCsv };
    if (e.path === 'employees') return { field: words.wholeFile, problem };
    return { field: words.wholeFile, problem: words.notCsv };
  });
}

/** The bad rows under an alert that says what happened (nothing registered, nothing looked up). */
export function BadRowsTable({ title, intro, caption, headers, rows }: { title: string; intro: string; caption: string; headers: [string, string, string]; rows: BadRow[] }) {
  if (!rows.length) return null;
  return (
    <>
      <Alert type="error">
        <Heading level={2}>{title}</Heading>
        <Paragraph>{intro}</Paragraph>
      </Alert>
      <Table caption={caption} headers={headers} rows={rows.map((b) => [b.line === undefined ? '–' : String(b.line), b.field, b.problem])} />
    </>
  );
}
