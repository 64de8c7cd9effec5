import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, type FormError } from '../../shared/web/components';
import { FileField } from '../../shared/web/fields';
import { StaffNav } from '../../shared/web/staff-nav';
import { actorOf } from '../../shared/services/access';
import { BadRequest, type FieldError } from '../../shared/domain/errors';
import { checkRows, importDiplomas } from '../../shared/services/diplomas';
import { CSV_CONTENT_TYPE, csvToObjects, dutchDateToIso, parseCsv, toCsv, type CsvColumn } from '../../shared/services/csv';
import { DiplomaRowSchema, type DiplomaRow } from '../../shared/schemas/participants';
import type { Messages } from '../../shared/i18n';

/*
 * /beheer/diplomas: the diploma register from an uploaded CSV (as Dutch Excel saves it) or JSON
 * file, field **Bestand**. The whole file is checked first — the API's row schema, then the
 * import service's own row checks — and every bad row is shown in a table before anything is
 * written; only a file without errors goes to the import service (which is all-or-nothing too).
 * The outcome comes back through a redirect (POST → redirect → GET) as counts in the query.
 */

/** The CSV's columns: field, the Dutch header an admin's Excel has, the English one (the API's names). Optional ones may be left out. */
const COLUMNS: (CsvColumn & { optional?: boolean })[] = [
  { name: 'diplomaNumber', nl: ['Diplomanummer'], en: ['diplomaNumber'] },
  { name: 'type', nl: ['Diplomatype', 'Type'], en: ['type', 'diplomaType'] },
  { name: 'issuedOn', nl: ['Datum diploma', 'Diplomadatum'], en: ['issuedOn'] },
  { name: 'initials', nl: ['Voorletters'], en: ['initials'] },
  { name: 'prefix', nl: ['Tussenvoegsel'], en: ['prefix'], optional: true },
  { name: 'lastName', nl: ['Achternaam'], en: ['lastName'] },
  { name: 'birthDate', nl: ['Geboortedatum'], en: ['birthDate'] },
  { name: 'email', nl: ['E-mailadres', 'E-mail'], en: ['email'], optional: true },
  { name: 'language', nl: ['Taal'], en: ['language'], optional: true },
];

const EXAMPLE: string[][] = [
  ['SEU-2023-000101', 'uitzendprofessional', '15-03-2023', 'J.P.', 'de', 'Vries', '02-11-1990', 'jp.devries@example.nl', 'nl'],
  ['SEU-2019-004711', 'backofficeprofessional', '01-07-2019', 'A.', '', 'Yılmaz', '23-05-1985', '', ''],
];

/** One bad cell or row of the file: where (line, column) and what is wrong, in the page's language. */
interface RowError {
  /** For sorting: the file's line (CSV). */
  line?: number;
  /** `regel 4` (CSV) or `rij 3` (JSON); absent: the whole file. */
  where?: string;
  column?: string;
  message: string;
}

export const handler = pageHandler({
  routes: ['page-staff-diplomas', 'page-staff-diplomas-import', 'page-staff-diplomas-example'],
  handler: async (ctx) => {
    if (ctx.event.rawPath?.endsWith('/voorbeeld.csv')) {
      const header = COLUMNS.map((c) => c.nl[0]);
      return { file: Buffer.from(toCsv(header, EXAMPLE), 'utf8'), contentType: CSV_CONTENT_TYPE, filename: 'diplomas-voorbeeld.csv' };
    }
    if (ctx.route.id === 'page-staff-diplomas-import') return post(ctx);
    return show(ctx, {});
  },
});

async function post(ctx: PageContext): Promise<PageResult> {
  const d = ctx.t.staff.diplomas;
  const file = ctx.files.Bestand;
  if (!file) return show(ctx, { status: 400, formErrors: [{ field: 'Bestand', message: d.fileRequired }] });
  const parsed = readFile(ctx.t, ctx.lang, file.bytes.toString('utf8'), file.filename, ctx.today);
  if ('errors' in parsed) return show(ctx, { status: 400, rowErrors: parsed.errors });
  const result = await importDiplomas(parsed.rows, actorOf(ctx.caller), ctx.today);
  const q = new URLSearchParams({ aangemaakt: String(result.created), bijgewerkt: String(result.updated), ongewijzigd: String(result.unchanged), registraties: String(result.registrationsCreated) });
  return { redirect: `/beheer/diplomas?${q}` };
}

/** The file's rows as import rows, or every error in it (nothing is written either way). */
function readFile(t: Messages, lang: 'nl' | 'en', text: string, filename: string, today: string): { rows: DiplomaRow[] } | { errors: RowError[] } {
  const d = t.staff.diplomas;
  const json = /\.json$/i.test(filename) || /^\s*[[{]/.test(text.replace(/^\uFEFF/, ''));
  let raw: unknown[];
  let lines: (number | undefined)[];
  let cells: Record<string, string>[] | undefined;
  const early: RowError[] = [];
  try {
    if (json) {
      let body: unknown;
      try {
        body = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch {
        return { errors: [{ message: d.notReadable }] };
      }
      raw = Array.isArray(body) ? body : Array.isArray((body as { diplomas?: unknown })?.diplomas) ? (body as { diplomas: unknown[] }).diplomas : [];
      if (!Array.isArray(body) && !Array.isArray((body as { diplomas?: unknown })?.diplomas)) return { errors: [{ message: d.notReadable }] };
      lines = raw.map(() => undefined);
    } else {
      const table = parseCsv(text);
      // Optional columns may be left out of the file: they are empty then.
      for (const c of COLUMNS.filter((c) => c.optional)) {
        const known = [...c.nl, ...c.en].map((n) => n.toLowerCase().replace(/[\s_-]+/g, ''));
        if (!table.header.some((h) => known.includes(h.toLowerCase().replace(/[\s_-]+/g, '')))) {
          table.header.push(c.nl[0]);
          table.records.forEach((r) => {
            while (r.fields.length < table.header.length - 1) r.fields.push('');
            r.fields.push('');
          });
        }
      }
      const mapped = csvToObjects(table, COLUMNS, 'diplomas', lang);
      cells = mapped.objects;
      lines = mapped.lines;
      early.push(...mapped.errors.map((e) => {
        const line = lineOf(e.path, mapped.lines);
        return { line, where: line === undefined ? undefined : d.line(line), message: e.message };
      }));
      raw = cells.map((o) => ({
        diplomaNumber: o.diplomaNumber,
        type: o.type.trim().toLowerCase(),
        issuedOn: dutchDateToIso(o.issuedOn),
        holder: {
          initials: o.initials,
          ...(o.prefix.trim() ? { prefix: o.prefix } : {}),
          lastName: o.lastName,
          birthDate: dutchDateToIso(o.birthDate),
          ...(o.email.trim() ? { email: o.email.trim() } : {}),
          ...(o.language.trim() ? { language: o.language.trim().toLowerCase() } : {}),
        },
      }));
    }
  } catch (err) {
    if (err instanceof BadRequest) return { errors: (err.errors.length ? err.errors : [{ path: '', message: err.message }]).map((e) => ({ message: e.message })) };
    throw err;
  }
  if (!raw.length) return { errors: [{ message: d.empty }] };
  if (raw.length > 1000) return { errors: [{ message: d.tooMany(raw.length) }] };

  const labelOf = (field: string) => {
    const i = COLUMNS.findIndex((c) => c.name === field);
    return i === -1 ? { label: field, hint: '' } : { label: lang === 'nl' ? COLUMNS[i].nl[0] : COLUMNS[i].en[0], hint: d.columns[i][1] };
  };
  const where = (i: number) => (lines[i] !== undefined ? d.line(lines[i]!) : d.row(i + 1));
  const errors: RowError[] = [...early];
  const rows: DiplomaRow[] = [];
  raw.forEach((item, i) => {
    const parsed = DiplomaRowSchema.safeParse(item);
    if (parsed.success) {
      rows[i] = parsed.data;
      return;
    }
    const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[issue.path.length - 1] ?? '')))];
    for (const f of fields) {
      const { label, hint } = labelOf(f === 'holder' ? 'lastName' : f);
      const value = cells ? (cells[i][f] ?? '') : String(valueAt(item, f) ?? '');
      errors.push({ line: lines[i] ?? i, where: where(i), column: label, message: value.trim() ? d.cell(label, value, hint) : t.errors.required(label) });
    }
  });
  if (!errors.length) {
    // The import service's own row checks (duplicates, dates), in the page's words.
    const rule: FieldError[] = checkRows(rows, today);
    for (const e of rule) {
      const m = /^diplomas\[(\d+)\]\.(?:holder\.)?(\w+)$/.exec(e.path);
      if (!m) {
        errors.push({ message: e.message });
        continue;
      }
      const i = Number(m[1]);
      const { label } = labelOf(m[2]);
      const first = rows.findIndex((r) => r.diplomaNumber.toUpperCase() === rows[i].diplomaNumber.toUpperCase());
      const message = m[2] === 'diplomaNumber' ? d.duplicate(where(first)) : m[2] === 'issuedOn' ? d.future : d.birthAfterIssue;
      errors.push({ line: lines[i] ?? i, where: where(i), column: label, message });
    }
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return errors.length ? { errors } : { rows };
}

function valueAt(item: unknown, field: string): unknown {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  return field in o ? o[field] : (o.holder as Record<string, unknown> | undefined)?.[field];
}

function lineOf(path: string, lines: number[]): number | undefined {
  const m = /\[(\d+)\]/.exec(path);
  return m ? lines[Number(m[1])] : undefined;
}

function show(ctx: PageContext, opts: { status?: number; rowErrors?: RowError[]; formErrors?: FormError[] }): Extract<PageResult, { title: string }> {
  const { t } = ctx;
  const d = t.staff.diplomas;
  const q = ctx.query;
  const done = ctx.route.method === 'GET' && q.aangemaakt !== undefined;
  const formErrors = opts.formErrors ?? (opts.rowErrors ? [{ field: 'Bestand', message: d.errorsHeading }] : []);
  return {
    status: opts.status,
    title: d.title,
    body: (
      <>
        <Heading>{d.title}</Heading>
        <StaffNav t={t} current="diplomas" />
        <ErrorSummary t={t} errors={formErrors} />
        {done ? (
          <>
            <Alert type="ok">{d.doneHeading}</Alert>
            <Table
              caption={d.doneCaption}
              headers={d.doneColumns}
              rows={[
                [d.created, q.aangemaakt ?? '0'],
                [d.updated, q.bijgewerkt ?? '0'],
                [d.unchanged, q.ongewijzigd ?? '0'],
                [d.registrationsCreated, q.registraties ?? '0'],
              ]}
            />
          </>
        ) : null}
        {opts.rowErrors ? (
          <>
            <Heading level={2}>{d.errorsHeading}</Heading>
            <Paragraph>{d.errorsIntro(opts.rowErrors.length)}</Paragraph>
            <Table caption={d.errorsCaption} headers={d.errorsColumns} rows={opts.rowErrors.map((e) => [e.where ?? d.wholeFile, e.column ?? '', e.message])} />
          </>
        ) : null}
        <Paragraph>{d.intro}</Paragraph>
        <Form action="/beheer/diplomas" csrf={ctx.csrf} enctype="multipart/form-data" label={d.title}>
          <FileField name="Bestand" label={d.file} description={d.fileHint} errors={formErrors} accept=".csv,.json,text/csv,application/json" />
          <SubmitButton>{d.submit}</SubmitButton>
        </Form>
        <Heading level={2}>{d.columnsHeading}</Heading>
        <Table caption={d.columnsCaption} headers={d.columnsColumns} rows={COLUMNS.map((c, i) => [ctx.lang === 'nl' ? c.nl[0] : `${c.nl[0]} (${c.en[0]})`, d.columns[i][1], d.columns[i][2]])} />
        <Paragraph>
          <Link href="/beheer/diplomas/voorbeeld.csv" download>
            {d.example}
          </Link>
        </Paragraph>
        <Paragraph>{d.jsonHint}</Paragraph>
      </>
    ),
  };
}
