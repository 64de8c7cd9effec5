import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SelectField, SubmitButton, TextField, type FormError } from '../../shared/web/components';
import { CheckboxGroup, Fieldset } from '../../shared/web/fields';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { Conflict, NotFound } from '../../shared/domain/errors';
import { actorOf } from '../../shared/services/access';
import { validate } from '../../shared/http/validation';
import { MAX_PLAN_DEADLINES, PlanIdSchema, PutLearningPlanRequestSchema, type PutLearningPlanRequest } from '../../shared/schemas/learning-plans';
import { learningPlanOf, planTopicErrors, saveLearningPlan } from '../../shared/services/learning-plans';
import { listTopics, type Topic } from '../../shared/data/topics';
import type { Employer } from '../../shared/data/organisations';
import type { LearningPlan } from '../../shared/domain/learning-plans';
import type { Messages } from '../../shared/i18n';

/*
 * /werkgever/leerlijnen/plan (issue 16 part 2): a new plan, or with `?id=` one to change. The
 * form is checked by the API's schema and saved by its service; a change carries the version it
 * was rendered with, so a colleague's change in between is shown (409) instead of overwritten,
 * and a new plan never replaces an existing one with the same code. POST → redirect → GET.
 */

/** Blank deadline rows the form offers beyond the plan's own. */
const SPARE_ROWS = 2;

interface Row {
  topic: string;
  before: string;
  reason: string;
}
interface Values {
  planId: string;
  name: string;
  topics: string[];
  rows: Row[];
  /** The version the form was rendered with (changes only). */
  version?: number;
}

const rowField = (i: number, f: keyof Row) => `deadline${i}_${f}`;

function valuesOf(plan: LearningPlan): Values {
  return { planId: plan.planId, name: plan.name, topics: plan.topicsPerPeriod, rows: plan.deadlines.map((d) => ({ ...d })), version: plan.version };
}

export const handler = pageHandler({
  routes: ['page-learning-plan-form', 'page-learning-plan-save'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const employer = await sessionEmployer(ctx);
    const topics = await listTopics();
    if (ctx.route.id === 'page-learning-plan-save') return save(ctx, employer, topics);
    const id = ctx.query.id;
    if (id === undefined) return formPage(ctx, topics, { planId: '', name: '', topics: [], rows: [] }, [], false);
    const plan = PlanIdSchema.safeParse(id).success ? await learningPlanOf(ctx.caller!, employer.employerId, id) : undefined;
    if (!plan) throw new NotFound();
    return formPage(ctx, topics, valuesOf(plan), [], true);
  },
});

function posted(ctx: PageContext, topics: readonly Topic[]): { values: Values; editing: boolean } {
  const f = ctx.form;
  const editing = f.version !== undefined;
  const rows: Row[] = [];
  for (let i = 0; i < MAX_PLAN_DEADLINES + SPARE_ROWS; i++) {
    if (f[rowField(i, 'topic')] === undefined && f[rowField(i, 'before')] === undefined && f[rowField(i, 'reason')] === undefined) continue;
    rows.push({ topic: f[rowField(i, 'topic')] ?? '', before: (f[rowField(i, 'before')] ?? '').trim(), reason: f[rowField(i, 'reason')] ?? '' });
  }
  return {
    editing,
    values: {
      planId: (f.planId ?? '').trim(),
      name: f.name ?? '',
      topics: topics.filter((x) => f[`topics_${x.code}`] !== undefined).map((x) => x.code),
      rows,
      ...(editing ? { version: Number(f.version) } : {}),
    },
  };
}

async function save(ctx: PageContext, employer: Employer, topics: readonly Topic[]): Promise<PageResult> {
  const { t } = ctx;
  const lp = t.learningPlans;
  const { values, editing } = posted(ctx, topics);
  const errors: FormError[] = [];
  if (!PlanIdSchema.safeParse(values.planId).success) {
    if (editing) throw new NotFound();
    errors.push({ field: 'planId', message: values.planId ? t.errors.invalid(lp.planId) : t.errors.required(lp.planId) });
  }
  // Rows left empty are not part of the plan; the others keep their place for the messages.
  const kept = values.rows.map((r, i) => ({ r, i })).filter(({ r }) => r.topic || r.before || r.reason.trim());
  const body = { name: values.name, topicsPerPeriod: values.topics, deadlines: kept.map(({ r }) => r) };
  const fieldOf = (path: string): { field: string; label: string; value: unknown } => {
    const m = /^deadlines(?:\[(\d+)\](?:\.(\w+))?)?/.exec(path);
    if (m) {
      const k = m[1] === undefined ? 0 : Number(m[1]);
      const f = (m[2] ?? 'topic') as keyof Row;
      const row = kept[k] ?? kept[0];
      const label = f === 'topic' ? lp.deadlineTopic(row.i + 1) : f === 'before' ? lp.deadlineBefore(row.i + 1) : lp.deadlineReason(row.i + 1);
      return { field: rowField(row.i, f), label, value: row.r[f] };
    }
    if (path.startsWith('topicsPerPeriod')) return { field: 'topics', label: lp.topics, value: 'x' };
    return { field: 'name', label: lp.name, value: values.name };
  };
  const checked = validate(PutLearningPlanRequestSchema, body);
  const problems = checked.ok ? await planTopicErrors(body) : checked.errors;
  for (const p of problems) {
    const { field, label, value } = fieldOf(p.path);
    if (errors.some((e) => e.field === field)) continue;
    errors.push({ field, message: value === undefined || String(value).trim() === '' ? t.errors.required(label) : t.errors.invalid(label) });
  }
  if (errors.length) return { ...formPage(ctx, topics, values, errors, editing), status: 400 };
  try {
    await saveLearningPlan(ctx.caller!, employer.employerId, values.planId, checked.ok ? checked.data : (body as PutLearningPlanRequest), actorOf(ctx.caller), {
      expectedVersion: editing ? values.version : 0,
    });
  } catch (err) {
    if (!(err instanceof Conflict) || err.extra.reason !== 'concurrent-update') throw err;
    if (!editing) return { ...formPage(ctx, topics, values, [{ field: 'planId', message: lp.planIdTaken }], false), status: 409 };
    const fresh = await learningPlanOf(ctx.caller!, employer.employerId, values.planId);
    if (!fresh) throw new NotFound();
    return { ...formPage(ctx, topics, valuesOf(fresh), [], true, true), status: 409 };
  }
  return { redirect: '/werkgever/leerlijnen?opgeslagen=1' };
}

function formPage(ctx: PageContext, topics: readonly Topic[], values: Values, errors: FormError[], editing: boolean, concurrent = false): Extract<PageResult, { title: string }> {
  const { t } = ctx;
  const lp = t.learningPlans;
  const title = editing ? lp.editTitle(values.name) : lp.newTitle;
  return {
    title,
    body: (
      <>
        <Heading>{title}</Heading>
        <EmployerNav t={t} current="/werkgever/leerlijnen" />
        <ErrorSummary t={t} errors={errors} />
        {concurrent ? <Alert type="error">{lp.concurrent}</Alert> : null}
        <PlanForm t={t} csrf={ctx.csrf} topics={topics} values={values} errors={errors} editing={editing} />
        <Paragraph>
          <Link href="/werkgever/leerlijnen">{lp.back}</Link>
        </Paragraph>
      </>
    ),
  };
}

function PlanForm({ t, csrf, topics, values, errors, editing }: { t: Messages; csrf: string; topics: readonly Topic[]; values: Values; errors: FormError[]; editing: boolean }) {
  const lp = t.learningPlans;
  // Retired topics are offered only where the plan already has them (they stay readable).
  const offered = topics.filter((x) => !x.retired || values.topics.includes(x.code) || values.rows.some((r) => r.topic === x.code));
  const rows = [...values.rows, ...Array.from({ length: SPARE_ROWS }, () => ({ topic: '', before: '', reason: '' }))].slice(0, MAX_PLAN_DEADLINES + SPARE_ROWS);
  return (
    <Form action="/werkgever/leerlijnen/plan" csrf={csrf} label={lp.planForm}>
      {editing ? (
        <>
          <input type="hidden" name="planId" value={values.planId} />
          <input type="hidden" name="version" value={String(values.version ?? 0)} />
        </>
      ) : (
        <TextField name="planId" label={lp.planId} description={lp.planIdHint} value={values.planId} errors={errors} />
      )}
      <TextField name="name" label={lp.name} description={lp.nameHint} value={values.name} errors={errors} />
      <CheckboxGroup name="topics" legend={lp.topics} description={lp.topicsHint} options={offered.map((x) => ({ value: x.code, label: `${x.code} ${x.name}` }))} checked={values.topics} errors={errors} />
      <Fieldset legend={lp.deadlinesLegend}>
        <Paragraph>{lp.deadlinesHint}</Paragraph>
        {rows.map((r, i) => (
          <Fieldset legend={lp.deadlineRow(i + 1)} key={i}>
            <SelectField
              name={rowField(i, 'topic')}
              label={lp.deadlineTopic(i + 1)}
              value={r.topic}
              errors={errors}
              options={[{ value: '', label: lp.chooseTopic }, ...offered.map((x) => ({ value: x.code, label: `${x.code} ${x.name}` }))]}
            />
            <TextField name={rowField(i, 'before')} type="date" label={lp.deadlineBefore(i + 1)} value={r.before} errors={errors} />
            <TextField name={rowField(i, 'reason')} label={lp.deadlineReason(i + 1)} value={r.reason} errors={errors} />
          </Fieldset>
        ))}
      </Fieldset>
      <SubmitButton>{lp.save}</SubmitButton>
    </Form>
  );
}
