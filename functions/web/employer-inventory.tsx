import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, type FormError } from '../../shared/web/components';
import { FileField, TextArea } from '../../shared/web/fields';
import { BadRequest, TooManyRequests } from '../../shared/domain/errors';
import { decodeCsv, headerKey } from '../../shared/services/csv';
import { employerFor } from '../../shared/services/employers/access';
import { rowsFromCsv, UPLOAD_COLUMNS, type ParsedRows } from '../../shared/services/employers/rows';
import { INVENTORY_ROWS, takeInventory } from '../../shared/services/inventory';
import { BadRowsTable, badRows, type BadRow } from '../../shared/web/upload-errors';
import { MIN_COLLECTIVE } from '../../shared/schemas/employers';
import { MAX_INVENTORY, MIN_INVENTORY, type InventoryResult, type InventoryRow } from '../../shared/schemas/inventory';
import { formatDate } from '../../shared/i18n';
import { CARRY_OVER_FIELD } from '../../shared/web/inventory';

/*
 * /werkgever/inventarisatie (issue 16 part 1; the employer guide's §3): before registering, which
 * employees hold a diploma and where their PE stands. The rows are a collective registration's
 * (the API's own reader and service, in-process): a CSV file (**Bestand**) or pasted rows. Nothing
 * is stored, so the outcome is the POST's answer (there is nothing to redirect to). The rows that
 * can be registered go on to /werkgever/registreren in a hidden field ("Deze medewerkers
 * registreren"), where the collective registration's rules (10 rows at least) apply as to a file.
 */

const FILE_FIELD = 'Bestand';
const PASTE_FIELD = 'Rijen';

type Page = Extract<PageResult, { title: string }>;

export const handler = pageHandler({
  routes: ['page-employer-inventory', 'page-employer-inventory-check'],
  handler: async (ctx) => {
    await employerFor(ctx.caller, ctx.session!.ownerId);
    if (ctx.route.method === 'GET') return formPage(ctx);
    return check(ctx);
  },
});

/**
 * Pasted rows as a CSV: as they are when they start with the header; else under the Dutch header
 * in their own separator (Excel copies with tabs) and width. `offset`: the lines the header adds.
 */
function pastedCsv(text: string): { csv: string; offset: number } {
  const first = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '') ?? '';
  const names = UPLOAD_COLUMNS.flatMap((c) => [...c.nl, ...c.en]).map(headerKey);
  const separator = ['\t', ';', ','].map((d) => ({ d, n: first.split(d).length - 1 })).sort((a, b) => b.n - a.n)[0];
  const delimiter = separator.n > 0 ? separator.d : ';';
  if (names.includes(headerKey(first.split(delimiter)[0] ?? ''))) return { csv: text, offset: 0 };
  const width = Math.min(UPLOAD_COLUMNS.length, Math.max(2, first.split(delimiter).length));
  return { csv: `${UPLOAD_COLUMNS.slice(0, width).map((c) => c.nl[0]).join(delimiter)}\n${text}`, offset: 1 };
}

async function check(ctx: PageContext): Promise<PageResult> {
  const t = ctx.t.inventory;
  const file = ctx.files[FILE_FIELD];
  const pasted = (ctx.form[PASTE_FIELD] ?? '').trim() === '' ? undefined : ctx.form[PASTE_FIELD];
  if (!file && !pasted) return { ...formPage(ctx, [{ field: FILE_FIELD, message: t.noInput }]), status: 400 };
  if (file && pasted) return { ...formPage(ctx, [{ field: PASTE_FIELD, message: t.fileOrPaste }], [], pasted), status: 400 };
  const field = file ? FILE_FIELD : PASTE_FIELD;
  const { csv, offset } = file ? { csv: decodeCsv(file.bytes, file.contentType), offset: 0 } : pastedCsv(pasted!);
  let parsed: ParsedRows<InventoryRow> | undefined;
  try {
    parsed = rowsFromCsv(csv, ctx.lang, INVENTORY_ROWS);
    const results = await takeInventory(ctx.session!.ownerId, parsed, ctx.today);
    return resultPage(ctx, results, parsed.rows as InventoryRow[]);
  } catch (err) {
    if (err instanceof TooManyRequests) return tooManyMisses(ctx, err);
    if (!(err instanceof BadRequest)) throw err;
    const bad = badRows(ctx.lang, t, err, parsed, offset);
    return { ...formPage(ctx, [{ field, message: err.message }], bad, pasted), status: 400 };
  }
}

/** Past the employer's limit on unmatched rows (shared/services/misses.ts): no row's outcome, only when to try again. */
function tooManyMisses(ctx: PageContext, err: TooManyRequests): Page {
  const t = ctx.t.inventory;
  const retryAfter = String(err.retryAfterSeconds ?? 3600);
  return {
    title: t.tooManyMissesTitle,
    status: 429,
    headers: { 'retry-after': retryAfter },
    body: (
      <>
        <Heading>{t.tooManyMissesTitle}</Heading>
        <Alert type="error">{t.tooManyMisses(Math.max(1, Math.ceil(Number(retryAfter) / 3600)))}</Alert>
        <Paragraph>
          <Link href="/werkgever/inventarisatie">{t.again}</Link>
        </Paragraph>
      </>
    ),
  };
}

function formPage(ctx: PageContext, errors: FormError[] = [], bad: BadRow[] = [], pasted?: string): Page {
  const t = ctx.t.inventory;
  return {
    title: t.title,
    body: (
      <>
        <Heading>{t.title}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        <BadRowsTable title={t.errorsTitle} intro={t.errorsIntro} caption={t.errorsCaption} headers={[t.colLine, t.colField, t.colProblem]} rows={bad} />
        <Paragraph lead>{t.intro}</Paragraph>
        <Paragraph>{t.privacy}</Paragraph>
        <Heading level={2}>{t.howTitle}</Heading>
        <ol class="utrecht-ordered-list">
          {t.how.map((step) => (
            <li class="utrecht-ordered-list__item" key={step}>
              {step}
            </li>
          ))}
        </ol>
        <Paragraph>{t.limits(MIN_INVENTORY, MAX_INVENTORY)}</Paragraph>
        <Form action="/werkgever/inventarisatie" csrf={ctx.csrf} enctype="multipart/form-data">
          <FileField name={FILE_FIELD} label={t.fileLabel} description={t.fileHint} errors={errors} accept=".csv,text/csv" />
          <TextArea name={PASTE_FIELD} label={t.pasteLabel} description={t.pasteHint} errors={errors} value={pasted} rows={6} />
          <SubmitButton>{t.submit}</SubmitButton>
        </Form>
      </>
    ),
  };
}

const STATES = ['registered', 'lapsed', 'never-registered', 'not-found'] as const;

function resultPage(ctx: PageContext, results: InventoryResult[], rows: InventoryRow[]): Page {
  const t = ctx.t.inventory;
  const count = (state: string) => results.filter((r) => r.peState === state).length;
  const automatic = results.filter((r) => r.automatic).length;
  // Found, not registered today, and with an address to send the activation e-mail to.
  const open = results.map((r, i) => ({ r, row: rows[i] })).filter(({ r }) => r.found && r.peState !== 'registered');
  const carried = open.filter(({ row }) => row.email).map(({ row }) => ({ diplomaNumber: row.diplomaNumber, birthDate: row.birthDate, email: row.email! }));
  const withoutEmail = open.length - carried.length;
  return {
    title: t.resultTitle,
    body: (
      <>
        <Heading>{t.resultTitle}</Heading>
        <Paragraph lead>{t.resultIntro}</Paragraph>
        <Table
          caption={t.summaryCaption}
          headers={[t.colState, t.colCount]}
          rows={[
            ...STATES.flatMap((s) => [[t.states[s], String(count(s))], ...(s === 'registered' ? [[t.automaticCount, String(automatic)]] : [])]),
            [t.total, String(results.length)],
          ]}
        />
        <Table
          caption={t.resultCaption}
          headers={[t.colDiplomaNumber, t.colFound, t.colDiploma, t.colState, t.colValidUntil]}
          rows={results.map((r) => [
            r.diplomaNumber,
            r.found ? t.yes : t.no,
            r.diplomaType && r.issuedOn ? t.diploma(t.diplomaTypes[r.diplomaType] ?? r.diplomaType, formatDate(ctx.lang, r.issuedOn)) : t.none,
            r.automatic ? t.automatic : t.states[r.peState],
            r.validUntil ? formatDate(ctx.lang, r.validUntil) : t.none,
          ])}
        />
        <Heading level={2}>{t.registerTitle}</Heading>
        {carried.length ? <Paragraph>{t.registerIntro(carried.length)}</Paragraph> : <Paragraph>{t.nobody}</Paragraph>}
        {withoutEmail ? <Paragraph>{t.withoutEmail(withoutEmail)}</Paragraph> : null}
        {carried.length >= MIN_COLLECTIVE ? (
          <Form action="/werkgever/registreren/inventarisatie" csrf={ctx.csrf}>
            <input type="hidden" name={CARRY_OVER_FIELD} value={JSON.stringify(carried)} />
            <SubmitButton>{t.register(carried.length)}</SubmitButton>
          </Form>
        ) : carried.length ? (
          <Alert type="info">{t.tooFew(carried.length, MIN_COLLECTIVE)}</Alert>
        ) : null}
        <Paragraph>
          <Link href="/werkgever/inventarisatie">{t.again}</Link>
        </Paragraph>
      </>
    ),
  };
}
