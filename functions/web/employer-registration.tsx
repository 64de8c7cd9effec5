import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, type FormError } from '../../shared/web/components';
import { BadRequest } from '../../shared/domain/errors';
import { actorOf } from '../../shared/services/access';
import { decodeCsv } from '../../shared/services/csv';
import { collectiveOutcome, registerCollectively } from '../../shared/services/employers/registration';
import { employerFor } from '../../shared/services/employers/access';
import { rowsFromCsv, rowsFromJson, type ParsedRows, type UploadFile } from '../../shared/services/employers/rows';
import { CARRY_OVER_FIELD } from '../../shared/web/inventory';
import { MAX_COLLECTIVE, MIN_COLLECTIVE } from '../../shared/schemas/employers';
import { BadRowsTable, badRows, type BadRow } from '../../shared/web/upload-errors';
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
  routes: ['page-employer-registration', 'page-employer-registration-upload', 'page-employer-registration-carry-over'],
  handler: async (ctx) => {
    const employer = await employerFor(ctx.caller, ctx.session!.ownerId);
    if (ctx.route.id === 'page-employer-registration-upload') return upload(ctx, employer.employerId);
    if (ctx.route.id === 'page-employer-registration-carry-over') return carryOver(ctx, employer.employerId);
    const id = ctx.query.registratie;
    if (id !== undefined) return outcomePage(ctx, await collectiveOutcome(employer.employerId, id), ctx.query.herhaald === '1');
    return formPage(ctx);
  },
});

async function upload(ctx: PageContext, employerId: string): Promise<PageResult> {
  const t = ctx.t.employerActivities.registration;
  const file = ctx.files[FILE_FIELD];
  if (!file) return { ...formPage(ctx, [{ field: FILE_FIELD, message: t.noFile }]), status: 400 };
  return registerAndShow(ctx, employerId, () => rowsFromCsv(decodeCsv(file.bytes, file.contentType), ctx.lang));
}

/**
 * "Deze medewerkers registreren" on /werkgever/inventarisatie: the rows an inventory found
 * registrable, as JSON in a hidden field, registered as an uploaded file's would be (the same
 * checks, 10 rows at least, the same rows within 48 hours the same registration). Messages in the
 * page's language, naming each row by its place in the list.
 */
async function carryOver(ctx: PageContext, employerId: string): Promise<PageResult> {
  let employees: unknown;
  try {
    employees = JSON.parse(ctx.form[CARRY_OVER_FIELD] ?? '');
  } catch {
    employees = undefined;
  }
  const list = Array.isArray(employees) ? employees : [];
  const cell = (v: unknown) => (typeof v === 'string' ? v : '');
  const file: UploadFile = {
    lines: list.map((_, i) => i + 1),
    cells: list.map((e: Record<string, unknown> | null) => ({ diplomaNumber: cell(e?.diplomaNumber), birthDate: cell(e?.birthDate), email: cell(e?.email) })),
    language: ctx.lang,
    dateFormat: 'iso',
  };
  return registerAndShow(ctx, employerId, () => rowsFromJson({ employees: list }, file));
}

/** Registers the rows and shows the outcome (a redirect to it); a 400 shows every bad row on the form. */
async function registerAndShow(ctx: PageContext, employerId: string, read: () => ParsedRows): Promise<PageResult> {
  let parsed: ParsedRows | undefined;
  try {
    parsed = read();
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
    return { ...formPage(ctx, [], badRows(ctx.lang, ctx.t.employerActivities.registration, err, parsed)), status: 400 };
  }
}

function formPage(ctx: PageContext, errors: FormError[] = [], bad: BadRow[] = []): Page {
  const t = ctx.t.employerActivities.registration;
  return {
    title: t.title,
    body: (
      <>
        <Heading>{t.title}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        <BadRowsTable title={t.errorsTitle} intro={t.nothingIfBad} caption={t.errorsCaption} headers={[t.colLine, t.colField, t.colProblem]} rows={bad} />
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
