import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, type FormError } from '../../shared/web/components';
import { BadRequest, type FieldError } from '../../shared/http/errors';
import { actorOf } from '../../shared/http/actor';
import { decodeCsv } from '../../shared/services/csv';
import { collectiveOutcome, employerFor, registerCollectively, rowsFromCsv, type ParsedRows } from '../../shared/services/employers';
import { MAX_COLLECTIVE, MIN_COLLECTIVE } from '../../shared/schemas/employers';
import type { Language, Messages } from '../../shared/i18n';
import { uploadMessages } from '../../shared/services/upload-messages';
import { FileField } from '../../shared/web/fields';

/*
 * /werkgever/registreren (WEB.md): collective registration from the CSV an HR person saves in
 * Excel. The upload goes through the API's own parser and service (rowsFromCsv,
 * registerCollectively), so the rules are the API's: every bad row is named and nothing is
 * written; 10–1000 rows; the same rows within 48 hours are the same registration (a second
 * upload, or a double click, registers nobody twice). A good upload redirects to its outcome
 * (`?registratie=<id>`), read back from the stored enrolments: a reload changes nothing.
 */

const FILE_FIELD = 'Bestand';

type Page = Extract<PageResult, { title: string }>;

export const handler = pageHandler({
  routes: ['page-employer-registration', 'page-employer-registration-upload'],
  handler: async (ctx) => {
    const employer = await employerFor(ctx.caller, ctx.session!.ownerId);
    if (ctx.route.id === 'page-employer-registration-upload') return upload(ctx, employer.employerId);
    const id = ctx.query.registratie;
    if (id !== undefined) return outcomePage(ctx, await collectiveOutcome(employer.employerId, id), ctx.query.herhaald === '1');
    return formPage(ctx);
  },
});

interface BadRow {
  line?: number;
  field: string;
  problem: string;
}

async function upload(ctx: PageContext, employerId: string): Promise<PageResult> {
  const t = ctx.t.employerActivities.registration;
  const file = ctx.files[FILE_FIELD];
  if (!file) return { ...formPage(ctx, [{ field: FILE_FIELD, message: t.noFile }]), status: 400 };
  let parsed: ParsedRows | undefined;
  try {
    parsed = rowsFromCsv(decodeCsv(file.bytes, file.contentType), ctx.lang);
    const result = await registerCollectively({
      employerId,
      parsed,
      actor: actorOf(ctx.caller),
      today: ctx.today,
      lambdaDeadline: ctx.context?.getRemainingTimeInMillis ? Date.now() + ctx.context.getRemainingTimeInMillis() : undefined,
    });
    const { collectiveRegistrationId } = result.response.body as { collectiveRegistrationId: string };
    return { redirect: `/werkgever/registreren?registratie=${encodeURIComponent(collectiveRegistrationId)}${result.replayed ? '&herhaald=1' : ''}` };
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    return { ...formPage(ctx, [], badRows(ctx.t, ctx.lang, err, parsed)), status: 400 };
  }
}

/** The service's 400 as table rows: the line in the file, the column, and what is wrong (in the page's language). */
function badRows(t: Messages, lang: Language, err: BadRequest, parsed: ParsedRows | undefined): BadRow[] {
  const r = t.employerActivities.registration;
  const labels: Record<string, string> = uploadMessages(lang).labels;
  const fieldErrors: FieldError[] = err.errors?.length ? err.errors : [{ path: '', message: err.message }];
  return fieldErrors.map((e) => {
    const row = /^employees\[(\d+)\](?:\.(\w+))?$/.exec(e.path);
    // The table has a column for the line: the message need not repeat it.
    const problem = e.message.replace(/, (regel|line) \d+$/, '');
    if (row) {
      const line = parsed?.file?.lines[Number(row[1])];
      return { line, field: row[2] ? (labels[row[2]] ?? row[2]) : r.wholeRow, problem };
    }
    // An empty file has no header at all: the parser's (English) words would not help.
    if (e.path === 'header' && !parsed) return { field: r.wholeFile, problem: r.notCsv };
    if (e.path.startsWith('header')) return { line: 1, field: r.header, problem };
    const lineOf = /^line (\d+)$/.exec(e.path);
    if (lineOf) return { line: Number(lineOf[1]), field: r.wholeRow, problem: r.notCsv };
    if (e.path === 'employees') return { field: r.wholeFile, problem };
    return { field: r.wholeFile, problem: r.notCsv };
  });
}

function formPage(ctx: PageContext, errors: FormError[] = [], bad: BadRow[] = []): Page {
  const t = ctx.t.employerActivities.registration;
  return {
    title: t.title,
    body: (
      <>
        <Heading>{t.title}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        {bad.length ? (
          <>
            <Alert type="error">
              <Heading level={2}>{t.errorsTitle}</Heading>
              <Paragraph>{t.nothingIfBad}</Paragraph>
            </Alert>
            <Table caption={t.errorsCaption} headers={[t.colLine, t.colField, t.colProblem]} rows={bad.map((b) => [b.line === undefined ? '–' : String(b.line), b.field, b.problem])} />
          </>
        ) : null}
        <Paragraph lead>{t.intro}</Paragraph>
        <Heading level={2}>{t.howTitle}</Heading>
        <ol class="utrecht-ordered-list">
          {t.how.map((step) => (
            <li class="utrecht-ordered-list__item" key={step}>
              {step}
            </li>
          ))}
        </ol>
        <Paragraph>{t.limits(MIN_COLLECTIVE, MAX_COLLECTIVE)}</Paragraph>
        {bad.length ? null : <Paragraph>{t.nothingIfBad}</Paragraph>}
        <Paragraph>{t.twiceSafe}</Paragraph>
        <Paragraph>
          <Link href="/werkgever/registreren/voorbeeld.csv" download>
            {t.example}
          </Link>
        </Paragraph>
        <Form action="/werkgever/registreren" csrf={ctx.csrf} enctype="multipart/form-data">
          <FileField name={FILE_FIELD} label={t.fileLabel} description={t.fileHint} errors={errors} />
          <SubmitButton>{t.submit}</SubmitButton>
        </Form>
      </>
    ),
  };
}

function outcomePage(ctx: PageContext, outcome: Awaited<ReturnType<typeof collectiveOutcome>>, replayed: boolean): Page {
  const t = ctx.t.employerActivities.registration;
  return {
    title: t.doneTitle,
    body: (
      <>
        <Heading>{t.doneTitle}</Heading>
        {replayed ? <Alert type="info">{t.replayed}</Alert> : null}
        <Paragraph lead>{t.summary(outcome.registered, outcome.linked)}</Paragraph>
        <Paragraph>{t.mails}</Paragraph>
        <Table
          caption={t.outcomeCaption}
          headers={[t.colName, t.colDiploma, t.colRegistrationNumber, t.colOutcome]}
          rows={outcome.employees.map((e) => [e.name, e.diplomaNumber, e.registrationNumber, t.outcomes[e.outcome]])}
        />
        <Paragraph>
          <Link href="/werkgever/registreren">{t.again}</Link>
        </Paragraph>
        <Paragraph>
          <Link href="/werkgever/activiteiten">{t.toActivities}</Link>
        </Paragraph>
      </>
    ),
  };
}
