import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Paragraph, SelectField, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { Checkbox } from '../../shared/web/fields';
import { StaffNav } from '../../shared/web/staff-nav';
import { formatDate } from '../../shared/i18n';
import { jobNames, runJob, type JobSummary } from '../../shared/jobs/registry';
import { RunJobRequestSchema } from '../../shared/schemas/jobs';
import { validate } from '../../shared/http/validation';
import { JobFailed } from '../../shared/domain/errors';

/*
 * /beheer/taken: run a scheduled job now (the job registry, as POST /v1/jobs/{job}/runs), as of
 * a date up to today; a dry run — the default — reports what it would do and writes and sends
 * nothing. The summary is the answer to the post itself (a run is not repeated by a reload: the
 * browser asks before posting again).
 */

/** Time left for the page after a job stops starting new work (API Gateway cuts at 29–30 s). */
const ANSWER_RESERVE_MS = 10_000;

interface Values {
  job: string;
  asOf: string;
  dryRun: boolean;
}

export const handler = pageHandler({
  routes: ['page-staff-jobs', 'page-staff-job-run'],
  handler: async (ctx) => {
    if (ctx.route.id !== 'page-staff-job-run') return show(ctx, { job: jobNames()[0], asOf: '', dryRun: true }, []);
    const j = ctx.t.staff.jobs;
    const values: Values = { job: ctx.form.job ?? '', asOf: (ctx.form.asOf ?? '').trim(), dryRun: ctx.form.dryRun === '1' };
    const errors: FormError[] = [];
    if (!jobNames().includes(values.job)) errors.push({ field: 'job', message: ctx.t.errors.required(j.job) });
    const checked = validate(RunJobRequestSchema, { ...(values.asOf ? { asOf: values.asOf } : {}), dryRun: values.dryRun });
    if (!checked.ok) {
      const future = /^\d{4}-\d{2}-\d{2}$/.test(values.asOf) && values.asOf > ctx.today;
      errors.push({ field: 'asOf', message: future ? j.asOfFuture(formatDate(ctx.lang, ctx.today)) : ctx.t.errors.invalid(j.asOf) });
    }
    if (errors.length || !checked.ok) return { ...show(ctx, values, errors), status: 400 };
    const stopAt = Date.now() + ctx.context.getRemainingTimeInMillis() - ANSWER_RESERVE_MS;
    try {
      const summary = await runJob(values.job, checked.data.asOf ?? ctx.today, { stopAt, dryRun: values.dryRun });
      return show(ctx, values, [], summary);
    } catch (err) {
      // In the cloud the job runs in its own function (shared/jobs/remote.ts): its failure is the answer, not an error page.
      if (!(err instanceof JobFailed)) throw err;
      return { ...show(ctx, values, [], undefined, j.failed(j.names[values.job] ?? values.job)), status: 502 };
    }
  },
});

/** A summary value as text: numbers and words as they are, lists by their length, objects as JSON. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return String(value.length);
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function show(ctx: PageContext, values: Values, errors: FormError[], summary?: JobSummary, failed?: string): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const j = t.staff.jobs;
  const nameOf = (job: string) => j.names[job] ?? job;
  return {
    title: j.title,
    body: (
      <>
        <Heading>{j.title}</Heading>
        <StaffNav t={t} current="jobs" />
        <ErrorSummary t={t} errors={errors} />
        {failed ? <Alert type="error">{failed}</Alert> : null}
        {summary ? (
          <section aria-labelledby="resultaat">
            <h2 class="utrecht-heading-2" id="resultaat">
              {j.resultHeading(nameOf(summary.job), formatDate(lang, summary.asOf))}
            </h2>
            {summary.dryRun ? <Alert type="info">{j.dryRunDone}</Alert> : null}
            <Table
              caption={j.caption}
              headers={j.columns}
              rows={Object.entries(summary)
                .filter(([k]) => k !== 'job' && k !== 'asOf')
                .map(([k, v]) => [k, shown(v)])}
            />
          </section>
        ) : null}
        <Paragraph>{j.intro}</Paragraph>
        <Form action="/beheer/taken" csrf={ctx.csrf} label={j.title}>
          <SelectField name="job" label={j.job} value={values.job} errors={errors} options={jobNames().map((n) => ({ value: n, label: nameOf(n) }))} />
          <TextField name="asOf" type="date" label={j.asOf} description={j.asOfHint} value={values.asOf} errors={errors} />
          <Checkbox name="dryRun" value="1" label={j.dryRun} checked={values.dryRun} />
          <SubmitButton>{j.submit}</SubmitButton>
        </Form>
      </>
    ),
  };
}
