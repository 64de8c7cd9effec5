import * as z from 'zod/mini';
import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { formatPoints } from '../../shared/i18n';
import { DateSchema } from '../../shared/schemas/common';
import { employerFor } from '../../shared/services/employers/access';
import { employerReport } from '../../shared/services/employers/report';
import { creditEmployees, internalActivityFor } from '../../shared/services/crediting';
import type { Activity } from '../../shared/data/activities';
import type { ReportRow } from '../../shared/domain/report';

/*
 * /werkgever/activiteiten/{activityId}/toekennen (WEB.md "credit an internal activity to
 * employees"): the date and the employer's linked employees as checkboxes, posted to the service
 * of POST /v1/employers/{id}/credits — the same derived external ids, so crediting the same
 * again is answered "already credited" per employee and never gives points twice (a reload of
 * the outcome re-posts, harmlessly). Only the employer's own internal activity: another
 * employer's, or a provider's public one, is the 404 page.
 */

const DateFormSchema = z.object({ completedOn: DateSchema });
/** The API takes at most this many participants per request. */
const CHUNK = 500;
const checkboxName = (registrationNumber: string) => `werknemer-${registrationNumber}`;

type Page = Extract<PageResult, { title: string }>;

export const handler = pageHandler({
  routes: ['page-employer-credit', 'page-employer-credit-submit'],
  handler: async (ctx) => {
    const employer = await employerFor(ctx.caller, ctx.session!.ownerId);
    const activity = await internalActivityFor(employer.employerId, ctx.params.activityId ?? '');
    const employees = (await employerReport(employer.employerId, ctx.today)).rows.sort((a, b) => a.name.localeCompare(b.name, 'nl'));
    if (ctx.route.id === 'page-employer-credit') return formPage(ctx, activity, employees, { completedOn: ctx.today });

    const t = ctx.t.employerActivities.credit;
    const errors: FormError[] = [];
    const checked = checkForm(DateFormSchema, ctx.form, ctx.t, { completedOn: t.dateLabel });
    if (!checked.ok) errors.push(...checked.errors);
    else if (checked.data.completedOn > ctx.today) errors.push({ field: 'completedOn', message: t.futureDate });
    // Only the employer's own linked employees can be chosen: a made-up field name is ignored.
    const chosen = employees.filter((e) => ctx.form[checkboxName(e.registrationNumber)] !== undefined);
    if (!chosen.length && employees.length) errors.push({ field: checkboxName(employees[0].registrationNumber), message: t.noneChosen });
    if (errors.length || !checked.ok || !chosen.length) {
      return { ...formPage(ctx, activity, employees, ctx.form, errors, new Set(chosen.map((e) => e.registrationNumber))), status: 400 };
    }

    const results: Awaited<ReturnType<typeof creditEmployees>> = [];
    for (let i = 0; i < chosen.length; i += CHUNK) {
      const part = chosen.slice(i, i + CHUNK).map((e) => e.registrationNumber);
      results.push(...(await creditEmployees(employer.employerId, { activityId: activity.activityId, completedOn: checked.data.completedOn, participants: part }, ctx.today, ctx.caller?.userId)));
    }
    const nameOf = new Map(chosen.map((e) => [e.registrationNumber, e.name]));
    const outcome = (r: (typeof results)[number]) =>
      r.status === 'credited'
        ? t.credited(t.amount({ value: r.points ?? activity.points, shown: formatPoints(ctx.lang, r.points ?? activity.points) }))
        : r.status === 'duplicate'
          ? t.duplicate
          : t.reasons[r.reason!];
    return {
      title: t.resultTitle,
      body: (
        <>
          <Heading>{t.resultTitle}</Heading>
          <Paragraph lead>{activity.title}</Paragraph>
          <Table
            caption={t.resultCaption}
            headers={[t.colName, t.colRegistrationNumber, t.colOutcome]}
            rows={results.map((r) => [nameOf.get(r.registrationNumber) ?? '', r.registrationNumber, outcome(r)])}
          />
          <Paragraph>
            <Link href={`/werkgever/activiteiten/${encodeURIComponent(activity.activityId)}/toekennen`}>{t.again}</Link>
          </Paragraph>
          <Paragraph>
            <Link href="/werkgever/activiteiten">{t.back}</Link>
          </Paragraph>
        </>
      ),
    };
  },
});

function formPage(ctx: PageContext, activity: Activity, employees: ReportRow[], values: Record<string, string>, errors: FormError[] = [], chosen = new Set<string>()): Page {
  const t = ctx.t.employerActivities.credit;
  const title = t.title(activity.title);
  const groupError = errors.find((e) => e.field.startsWith('werknemer-'));
  return {
    title,
    body: (
      <>
        <Heading>{title}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        <Paragraph lead>{t.intro}</Paragraph>
        <Paragraph>{t.points(t.amount({ value: activity.points, shown: formatPoints(ctx.lang, activity.points) }))}</Paragraph>
        {employees.length ? (
          <Form action={`/werkgever/activiteiten/${encodeURIComponent(activity.activityId)}/toekennen`} csrf={ctx.csrf}>
            <TextField name="completedOn" type="date" label={t.dateLabel} description={t.dateHint} value={values.completedOn} errors={errors} required />
            <fieldset class={`utrecht-form-fieldset${groupError ? ' utrecht-form-fieldset--invalid' : ''}`} aria-describedby={groupError ? 'werknemers-fout' : undefined}>
              <legend class="utrecht-form-fieldset__legend">{t.employeesLegend}</legend>
              {groupError ? (
                <div class="utrecht-form-field-error-message" id="werknemers-fout">
                  {groupError.message}
                </div>
              ) : null}
              {employees.map((e) => {
                const name = checkboxName(e.registrationNumber);
                return (
                  <div class="utrecht-form-field utrecht-form-field--checkbox" key={name}>
                    <div class="utrecht-form-field__input">
                      <input type="checkbox" class="utrecht-checkbox utrecht-checkbox--html-input" id={name} name={name} value="1" checked={chosen.has(e.registrationNumber)} />
                    </div>
                    <div class="utrecht-form-field__label utrecht-form-field__label--checkbox">
                      <label class="utrecht-form-label utrecht-form-label--checkbox" for={name}>
                        {`${e.name} (${e.registrationNumber})`}
                      </label>
                    </div>
                  </div>
                );
              })}
            </fieldset>
            <SubmitButton>{t.submit}</SubmitButton>
          </Form>
        ) : (
          <Paragraph>{t.noEmployees}</Paragraph>
        )}
        <Paragraph>
          <Link href="/werkgever/activiteiten">{t.back}</Link>
        </Paragraph>
      </>
    ),
  };
}
