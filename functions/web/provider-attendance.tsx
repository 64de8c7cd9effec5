import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SelectField, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { CodeBlock, FileField, TextArea } from '../../shared/web/fields';
import { DateSchema } from '../../shared/schemas/common';
import { ownActivities } from '../../shared/services/catalogue';
import { attendanceCsv, MAX_ATTENDANCE_ROWS, pastedNumbers, reportAttendance, type AttendanceOutcome } from '../../shared/services/attendance';
import type { Activity } from '../../shared/data/activities';
import { getProvider } from '../../shared/data/organisations';
import { formatDate, formatPoints, type Messages } from '../../shared/i18n';

/*
 * /opleider/presentie (WEB.md): completions reported by hand — **Activiteit**, **Datum**,
 * **Registratienummers** (one per line) or a CSV file — credited by the webhook's own crediting
 * (in-process), with the webhook's outcome per row in a table. Each row's external id is derived
 * from activity, date and registration number, so sending the same list again credits nothing twice.
 */

interface Values {
  activityId: string;
  completedOn: string;
  numbers: string;
}

export const handler = pageHandler({
  routes: ['page-provider-attendance', 'page-provider-attendance-report'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: async (ctx) => {
    // Every own activity: crediting checks that it was recognised on the completion's date.
    const activities = await ownActivities(ctx.caller!);
    if (ctx.route.method === 'GET') return attendancePage(ctx, activities, { activityId: ctx.query.activiteit ?? '', completedOn: '', numbers: '' }, []);
    return report(ctx, activities);
  },
});

async function report(ctx: PageContext, activities: Activity[]): Promise<PageResult> {
  const p = ctx.t.provider;
  const values: Values = { activityId: ctx.form.activityId ?? '', completedOn: (ctx.form.completedOn ?? '').trim(), numbers: ctx.form.registrationNumbers ?? '' };
  const errors: FormError[] = [];
  const activity = activities.find((a) => a.activityId === values.activityId);
  if (!activity) errors.push({ field: 'activityId', message: ctx.t.errors.required(p.fieldActivity) });
  const dateOk = DateSchema.safeParse(values.completedOn).success;
  if (values.completedOn && !dateOk) errors.push({ field: 'completedOn', message: ctx.t.errors.invalid(p.fieldDate) });
  const file = ctx.files.Bestand;
  let rows: { registrationNumber: string; completedOn: string | undefined }[] = [];
  let problems: string[] = [];
  if (file) {
    ({ rows, problems } = attendanceCsv(file.bytes.toString('utf8'), dateOk ? values.completedOn : undefined, ctx.lang));
    if (!problems.length && !rows.length) problems = [p.fileEmpty];
    if (problems.length) errors.push({ field: 'Bestand', message: p.fileProblems(problems.join('; ')) });
    else {
      const badDate = rows.find((r) => !r.completedOn || !DateSchema.safeParse(r.completedOn).success);
      if (badDate) errors.push(badDate.completedOn ? { field: 'Bestand', message: p.fileBadDate(badDate.registrationNumber) } : { field: 'completedOn', message: ctx.t.errors.required(p.fieldDate) });
    }
    if (values.numbers.trim()) errors.push({ field: 'registrationNumbers', message: p.numbersOrFile });
  } else {
    if (!values.completedOn) errors.push({ field: 'completedOn', message: ctx.t.errors.required(p.fieldDate) });
    rows = pastedNumbers(values.numbers).map((n) => ({ registrationNumber: n, completedOn: values.completedOn }));
    if (!rows.length) errors.push({ field: 'registrationNumbers', message: p.numbersRequired });
  }
  if (rows.length > MAX_ATTENDANCE_ROWS) errors.push({ field: file ? 'Bestand' : 'registrationNumbers', message: p.tooManyRows(MAX_ATTENDANCE_ROWS) });
  const order = ['activityId', 'completedOn', 'registrationNumbers', 'Bestand'];
  errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  const unique = errors.filter((e, i) => errors.findIndex((x) => x.field === e.field) === i);
  if (unique.length) return { ...attendancePage(ctx, activities, values, unique), status: 400 };
  const outcomes = await reportAttendance(ctx.caller!, activity!.activityId, rows as { registrationNumber: string; completedOn: string }[], ctx.today);
  return attendancePage(ctx, activities, { ...values, numbers: '' }, [], { activity: activity!, outcomes });
}

function outcomeText(t: Messages, lang: PageContext['lang'], o: AttendanceOutcome): string {
  const p = t.provider;
  const r = o.result;
  if (r.status === 'credited') return p.outcomeCredited(t.catalogue.points(formatPoints(lang, r.points ?? 0)));
  if (r.status === 'duplicate') return p.outcomeDuplicate;
  return p.reasons[r.reason ?? 'participant-not-found'];
}

function attendancePage(ctx: PageContext, activities: Activity[], values: Values, errors: FormError[], done?: { activity: Activity; outcomes: AttendanceOutcome[] }): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const p = t.provider;
  const counts = done ? { credited: done.outcomes.filter((o) => o.result.status === 'credited').length, rest: done.outcomes.filter((o) => o.result.status !== 'credited').length } : undefined;
  return {
    title: p.attendanceTitle,
    body: (
      <>
        <Heading>{p.attendanceTitle}</Heading>
        <ErrorSummary t={t} errors={errors} />
        {done && counts ? (
          <>
            <Alert type={counts.rest ? 'warning' : 'ok'}>{p.attendanceDone(done.activity.title, counts.credited, counts.rest)}</Alert>
            <Table
              caption={p.outcomesCaption}
              headers={p.outcomeColumns}
              rows={done.outcomes.map((o) => [o.registrationNumber, formatDate(lang, o.completedOn), o.result.status === 'rejected' ? <strong>{outcomeText(t, lang, o)}</strong> : outcomeText(t, lang, o)])}
            />
          </>
        ) : null}
        <Paragraph lead>{p.attendanceLead}</Paragraph>
        {activities.length ? (
          <Form action="/opleider/presentie" csrf={ctx.csrf} label={p.attendanceTitle} enctype="multipart/form-data">
            <SelectField
              name="activityId"
              label={p.fieldActivity}
              value={values.activityId}
              errors={errors}
              options={[{ value: '', label: p.choose }, ...activities.map((a) => ({ value: a.activityId, label: a.title }))]}
            />
            <TextField name="completedOn" label={p.fieldDate} description={p.dateHint} type="date" value={values.completedOn} errors={errors} />
            <TextArea name="registrationNumbers" label={p.fieldNumbers} description={p.numbersHint} value={values.numbers} errors={errors} rows={8} />
            <FileField name="Bestand" label={p.fieldFile} description={p.fileHint} accept=".csv,text/csv" errors={errors} />
            <SubmitButton>{p.reportButton}</SubmitButton>
          </Form>
        ) : (
          <Paragraph>{p.noActivitiesToReport}</Paragraph>
        )}
        <Heading level={2}>{p.csvHeading}</Heading>
        <Paragraph>{p.csvExplained}</Paragraph>
        <CodeBlock label={p.csvExampleLabel}>{'Registratienummer;Datum\r\nPE-4K7Q9M;14-03-2026\r\nPE-8Z2X5B;\r\n'.replace(/\r/g, '')}</CodeBlock>
        <Paragraph>
          <Link href="/opleider">{p.backHome}</Link>
        </Paragraph>
      </>
    ),
  };
}
