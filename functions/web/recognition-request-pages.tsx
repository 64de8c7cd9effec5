import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Link, Paragraph, SelectField, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { Checkbox, CheckboxGroup, Fieldset, TextArea } from '../../shared/web/fields';
import { Conflict, NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { RecognitionRequestBodySchema, RequestParamsSchema } from '../../shared/schemas/recognition';
import { listTopics, recognitionRuleErrors, requestFor, resubmitRequest, submitRequest } from '../../shared/services/recognition';
import { getEmployer, getProvider } from '../../shared/data/organisations';
import type { RecognitionRequest } from '../../shared/data/recognition';
import type { Topic } from '../../shared/data/topics';
import { ACTIVITY_TYPES, COMPLETION_TYPES, NATURES } from '../../shared/domain/recognition';
import { formatDate, type Messages } from '../../shared/i18n';
import { todayInAmsterdam } from '../../shared/dates';

/*
 * The recognition-request pages, one component for providers (`/opleider/aanvragen/…`) and
 * employers (`/werkgever/aanvragen/…`): the form with every field of the API's request body,
 * checked by the API's own schema (RecognitionRequestBody) and its body rules
 * (`recognitionRuleErrors`: topics that exist and are not retired, `internal` for employers only),
 * submitted and resubmitted by the API's services. Each path has its own handler file (a handler
 * serves one GET and one POST); they differ only in the owner's role and the base path.
 */

export interface Area {
  role: 'provider' | 'employer';
  base: '/opleider' | '/werkgever';
  /** Where "back" goes: the provider's home, the employer's activities page. */
  home: string;
}

type OwnerRole = Area['role'];

export interface SessionValues {
  startsOn: string;
  endsOn: string;
  location: string;
  online: boolean;
}

/** The form as it is filled in (kept after an error), in the form's own terms. */
export interface RequestValues {
  title: string;
  description: string;
  /** One learning goal per line. */
  learningGoals: string;
  activityType: string;
  nature: string;
  topics: string[];
  netStudyMinutes: string;
  completionType: string;
  completionDescription: string;
  /** Employers only: 'ja' (only for its own staff; the default) or 'nee'. */
  internal: string;
  sessions: SessionValues[];
}

const EMPTY_SESSION: SessionValues = { startsOn: '', endsOn: '', location: '', online: false };

export function emptyValues(): RequestValues {
  return { title: '', description: '', learningGoals: '', activityType: '', nature: '', topics: [], netStudyMinutes: '', completionType: '', completionDescription: '', internal: 'ja', sessions: [] };
}

export function valuesOfRequest(r: RecognitionRequest): RequestValues {
  return {
    title: r.title,
    description: r.description,
    learningGoals: r.learningGoals.join('\n'),
    activityType: r.activityType,
    nature: r.nature,
    topics: [...r.topics],
    netStudyMinutes: String(r.netStudyMinutes),
    completionType: r.completion.type,
    completionDescription: r.completion.description,
    internal: r.internal ? 'ja' : 'nee',
    sessions: r.sessions.map((s) => ({ startsOn: s.startsOn, endsOn: s.endsOn ?? '', location: s.location ?? '', online: s.online === true })),
  };
}

const MAX_SESSION_ROWS = 100;

function valuesOfForm(form: Record<string, string>): RequestValues {
  const topics = Object.keys(form)
    .filter((k) => k.startsWith('topics_'))
    .map((k) => k.slice('topics_'.length));
  const sessions: SessionValues[] = [];
  for (let i = 0; i < MAX_SESSION_ROWS && `session${i}StartsOn` in form; i++) {
    sessions.push({ startsOn: form[`session${i}StartsOn`] ?? '', endsOn: form[`session${i}EndsOn`] ?? '', location: form[`session${i}Location`] ?? '', online: form[`session${i}Online`] !== undefined });
  }
  return {
    title: form.title ?? '',
    description: form.description ?? '',
    learningGoals: form.learningGoals ?? '',
    activityType: form.activityType ?? '',
    nature: form.nature ?? '',
    topics,
    netStudyMinutes: form.netStudyMinutes ?? '',
    completionType: form.completionType ?? '',
    completionDescription: form.completionDescription ?? '',
    internal: form.internal ?? 'ja',
    sessions: sessions.filter((s) => s.startsOn.trim() || s.endsOn.trim() || s.location.trim() || s.online),
  };
}

/** The API's request body for what the form says (empty optional fields left out, as a client would). */
function bodyOf(v: RequestValues, role: OwnerRole): Record<string, unknown> {
  const minutes = v.netStudyMinutes.trim();
  return {
    title: v.title,
    description: v.description,
    learningGoals: v.learningGoals.split(/\r\n|\n|\r/).map((g) => g.trim()).filter(Boolean),
    activityType: v.activityType,
    nature: v.nature,
    topics: v.topics,
    netStudyMinutes: /^\d+$/.test(minutes) ? Number(minutes) : minutes,
    completion: { type: v.completionType, description: v.completionDescription },
    ...(role === 'employer' ? { internal: v.internal !== 'nee' } : {}),
    ...(v.sessions.length
      ? {
          sessions: v.sessions.map((s) => ({
            startsOn: s.startsOn.trim(),
            ...(s.endsOn.trim() ? { endsOn: s.endsOn.trim() } : {}),
            ...(s.location.trim() ? { location: s.location } : {}),
            ...(s.online ? { online: true } : {}),
          })),
        }
      : {}),
  };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The form field an error of the body's path belongs to. */
function fieldOf(path: string): string {
  const session = /^sessions\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (session) return `session${session[1]}${capital(session[2] ?? 'startsOn')}`;
  if (path.startsWith('sessions')) return 'session0StartsOn';
  if (path === 'completion.description') return 'completionDescription';
  if (path.startsWith('completion')) return 'completionType';
  return path.split(/[.[]/)[0];
}

/** The form's labels by field, in the order the form shows them (the error summary's order). */
function labelsOf(t: Messages, role: OwnerRole, sessions: number): Record<string, string> {
  const p = t.provider;
  const labels: Record<string, string> = {
    title: p.fieldTitle,
    description: p.fieldDescription,
    learningGoals: p.fieldLearningGoals,
    activityType: p.fieldActivityType,
    nature: p.fieldNature,
    topics: p.fieldTopics,
    netStudyMinutes: p.fieldMinutes,
    completionType: p.fieldCompletionType,
    completionDescription: p.fieldCompletionDescription,
  };
  if (role === 'employer') labels.internal = p.fieldInternal;
  for (let i = 0; i < sessions; i++) {
    labels[`session${i}StartsOn`] = p.sessionField(i + 1, p.fieldStartsOn);
    labels[`session${i}EndsOn`] = p.sessionField(i + 1, p.fieldEndsOn);
    labels[`session${i}Location`] = p.sessionField(i + 1, p.fieldLocation);
  }
  return labels;
}

/**
 * The form checked as the API checks its body: the schema, then the body rules on whatever is
 * well-formed — every problem at once, each on its field, in the page's language.
 */
async function checkRequest(t: Messages, role: OwnerRole, v: RequestValues): Promise<{ ok: true; body: Parameters<typeof submitRequest>[1] } | { ok: false; errors: FormError[] }> {
  const body = bodyOf(v, role);
  const checked = validate(RecognitionRequestBodySchema, body);
  const problems = [...(checked.ok ? [] : checked.errors), ...(await recognitionRuleErrors(role, body))];
  if (!problems.length && checked.ok) return { ok: true, body: checked.data };
  const labels = labelsOf(t, role, Math.max(v.sessions.length, 1));
  const raw: Record<string, string> = {
    title: v.title,
    description: v.description,
    learningGoals: v.learningGoals,
    activityType: v.activityType,
    nature: v.nature,
    netStudyMinutes: v.netStudyMinutes,
    completionType: v.completionType,
    completionDescription: v.completionDescription,
  };
  v.sessions.forEach((s, i) => Object.assign(raw, { [`session${i}StartsOn`]: s.startsOn, [`session${i}EndsOn`]: s.endsOn, [`session${i}Location`]: s.location }));
  const errors: FormError[] = [];
  for (const problem of problems) {
    const field = fieldOf(problem.path);
    if (errors.some((e) => e.field === field)) continue;
    const label = labels[field] ?? field;
    let message: string;
    if (field === 'topics') message = v.topics.length ? t.provider.topicsUnavailable : t.provider.topicsRequired;
    else if (field === 'netStudyMinutes' && v.netStudyMinutes.trim()) message = t.provider.minutesInvalid;
    else if (/^session\d+Location$/.test(field) && !raw[field]?.trim()) message = t.provider.sessionPlaceRequired(label);
    else message = (raw[field] ?? '').trim() === '' && field !== 'internal' ? t.errors.required(label) : t.errors.invalid(label);
    errors.push({ field, message });
  }
  const order = Object.keys(labels);
  errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  return { ok: false, errors };
}

/** Topics a new request may use: the current ones (retired topics are not offered), by code. */
async function offeredTopics(): Promise<Topic[]> {
  return (await listTopics()).filter((x) => !x.retired).sort((a, b) => a.code.localeCompare(b.code));
}

/** The organisation's name for the header. */
async function ownerName(ctx: PageContext): Promise<{ name?: string }> {
  const id = ctx.session!.ownerId;
  const org = ctx.session!.role === 'provider' ? await getProvider(id) : await getEmployer(id);
  return org ? { name: org.name } : {};
}

// ---------------------------------------------------------------- the form

export function RequestForm({
  t,
  area,
  action,
  csrf,
  values,
  errors,
  topics,
  submitLabel,
}: {
  t: Messages;
  area: Area;
  action: string;
  csrf: string;
  values: RequestValues;
  errors: FormError[];
  topics: Topic[];
  submitLabel: string;
}) {
  const p = t.provider;
  const c = t.catalogue;
  const choose = { value: '', label: p.choose };
  // The rows already filled in, and two more (at least three in all).
  const rows = [...values.sessions, EMPTY_SESSION, EMPTY_SESSION].slice(0, Math.max(3, values.sessions.length + 2));
  // A retired topic already on a request (resubmission) stays visible, so it can be unticked.
  const shown = [...topics, ...values.topics.filter((code) => !topics.some((x) => x.code === code)).map((code) => ({ code, name: code, retired: true }))];
  return (
    <Form action={action} csrf={csrf} label={p.formLabel}>
      <TextField name="title" label={p.fieldTitle} value={values.title} errors={errors} />
      <TextArea name="description" label={p.fieldDescription} value={values.description} errors={errors} />
      <TextArea name="learningGoals" label={p.fieldLearningGoals} description={p.learningGoalsHint} value={values.learningGoals} errors={errors} rows={4} />
      <SelectField name="activityType" label={p.fieldActivityType} value={values.activityType} errors={errors} options={[choose, ...ACTIVITY_TYPES.map((k) => ({ value: k, label: c.kinds[k] }))]} />
      <SelectField name="nature" label={p.fieldNature} value={values.nature} errors={errors} options={[choose, ...NATURES.map((k) => ({ value: k, label: c.natures[k] }))]} />
      <CheckboxGroup name="topics" legend={p.fieldTopics} description={p.topicsHint} checked={values.topics} errors={errors} options={shown.map((x) => ({ value: x.code, label: `${x.name} (${x.code})` }))} />
      <TextField name="netStudyMinutes" label={p.fieldMinutes} description={p.minutesHint} value={values.netStudyMinutes} errors={errors} inputMode="numeric" />
      <SelectField name="completionType" label={p.fieldCompletionType} value={values.completionType} errors={errors} options={[choose, ...COMPLETION_TYPES.map((k) => ({ value: k, label: c.completions[k] }))]} />
      <TextArea name="completionDescription" label={p.fieldCompletionDescription} description={p.completionDescriptionHint} value={values.completionDescription} errors={errors} rows={3} />
      {area.role === 'employer' ? (
        <SelectField
          name="internal"
          label={p.fieldInternal}
          value={values.internal}
          errors={errors}
          options={[
            { value: 'ja', label: p.internalYes },
            { value: 'nee', label: p.internalNo },
          ]}
        />
      ) : null}
      <Heading level={2}>{p.sessionsHeading}</Heading>
      <Paragraph>{p.sessionsHint}</Paragraph>
      {rows.map((s, i) => (
        <Fieldset legend={p.sessionLegend(i + 1)} key={i}>
          <TextField name={`session${i}StartsOn`} label={p.fieldStartsOn} type="date" value={s.startsOn} errors={errors} />
          <TextField name={`session${i}EndsOn`} label={p.fieldEndsOn} type="date" value={s.endsOn} errors={errors} />
          <TextField name={`session${i}Location`} label={p.fieldLocation} value={s.location} errors={errors} />
          <Checkbox name={`session${i}Online`} label={p.fieldOnline} checked={s.online} />
        </Fieldset>
      ))}
      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}

// ---------------------------------------------------------------- /…/aanvragen/nieuw

export function newRequestHandler(area: Area, routes: [string, string]) {
  return pageHandler({
    routes,
    viewer: ownerName,
    handler: async (ctx) => {
      const topics = await offeredTopics();
      if (ctx.route.method === 'GET') return newRequestPage(ctx, area, emptyValues(), [], topics);
      const values = valuesOfForm(ctx.form);
      const checked = await checkRequest(ctx.t, area.role, values);
      if (!checked.ok) return { ...newRequestPage(ctx, area, values, checked.errors, topics), status: 400 };
      const request = await submitRequest(ctx.caller!, checked.body);
      return { redirect: `${area.base}/aanvragen/${request.requestId}?ingediend=1` };
    },
  });
}

function newRequestPage(ctx: PageContext, area: Area, values: RequestValues, errors: FormError[], topics: Topic[]): Extract<PageResult, { title: string }> {
  const p = ctx.t.provider;
  return {
    title: p.newTitle,
    body: (
      <>
        <Heading>{p.newTitle}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        <Paragraph lead>{p.newLead}</Paragraph>
        <RequestForm t={ctx.t} area={area} action={`${area.base}/aanvragen/nieuw`} csrf={ctx.csrf} values={values} errors={errors} topics={topics} submitLabel={p.submit} />
        <Paragraph>
          <Link href={area.home}>{p.backHome}</Link>
        </Paragraph>
      </>
    ),
  };
}

// ---------------------------------------------------------------- /…/aanvragen/{requestId}

export function requestHandler(area: Area, routes: [string, string]) {
  return pageHandler({
    routes,
    viewer: ownerName,
    handler: async (ctx) => {
      const checkedId = validate(RequestParamsSchema, { requestId: ctx.params.requestId ?? '' });
      if (!checkedId.ok) throw new NotFound();
      // Another organisation's request is the 404 a missing one is (the service's own check).
      const request = await requestFor(ctx.caller!, checkedId.data.requestId);
      const topics = await offeredTopics();
      if (ctx.route.method === 'GET') return requestPage(ctx, area, request, valuesOfRequest(request), [], topics);
      if (request.status !== 'changes-requested') return { ...requestPage(ctx, area, request, valuesOfRequest(request), [], topics, ctx.t.provider.notResubmittable), status: 409 };
      const values = valuesOfForm(ctx.form);
      const checked = await checkRequest(ctx.t, area.role, values);
      if (!checked.ok) return { ...requestPage(ctx, area, request, values, checked.errors, topics), status: 400 };
      try {
        await resubmitRequest(ctx.caller!, request.requestId, checked.body);
      } catch (err) {
        if (err instanceof Conflict) return { ...requestPage(ctx, area, request, values, [], topics, ctx.t.provider.notResubmittable), status: 409 };
        throw err;
      }
      return { redirect: `${area.base}/aanvragen/${request.requestId}?opnieuw=1` };
    },
  });
}

/** When an ISO instant happened, as a date in words (Amsterdam's day). */
const dayOf = (lang: PageContext['lang'], iso: string) => formatDate(lang, todayInAmsterdam(new Date(iso)));

function requestPage(
  ctx: PageContext,
  area: Area,
  r: RecognitionRequest,
  values: RequestValues,
  errors: FormError[],
  topics: Topic[],
  refusal?: string,
): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const p = t.provider;
  const c = t.catalogue;
  const topicName = new Map(topics.map((x) => [x.code, x.name]));
  const lastReason = [...r.history].reverse().find((h) => h.transition === r.status && h.reason)?.reason;
  return {
    title: r.title,
    body: (
      <>
        <Heading>{r.title}</Heading>
        <ErrorSummary t={t} errors={errors} />
        {refusal ? <Alert type="error">{refusal}</Alert> : null}
        {ctx.query.ingediend === '1' ? <Alert type="ok">{p.submitted}</Alert> : null}
        {ctx.query.opnieuw === '1' ? <Alert type="ok">{p.resubmitted}</Alert> : null}
        <DataList
          items={[
            { key: p.status, value: <strong>{p.statuses[r.status]}</strong> },
            { key: p.submittedOn, value: dayOf(lang, r.submittedAt) },
            { key: c.kind, value: c.kinds[r.activityType] },
            { key: c.nature, value: c.natures[r.nature] },
            { key: c.topics, value: r.topics.map((code) => topicName.get(code) ?? code).join(', ') },
            { key: c.studyTimeLabel, value: c.studyTime(r.netStudyMinutes) },
            { key: c.completion, value: `${c.completions[r.completion.type]}: ${r.completion.description}` },
            ...(area.role === 'employer' ? [{ key: p.fieldInternal, value: r.internal ? p.internalYes : p.internalNo }] : []),
            ...(r.activityId && area.role === 'provider' ? [{ key: p.activity, value: <Link href={`/opleider/activiteiten/${r.activityId}`}>{p.activityLink(r.title)}</Link> }] : []),
            ...(r.activityId && area.role === 'employer' && !r.internal ? [{ key: p.activity, value: <Link href={`/scholingskalender/${r.activityId}`}>{p.activityLink(r.title)}</Link> }] : []),
          ]}
        />
        <Heading level={2}>{p.historyHeading}</Heading>
        <Table
          caption={p.historyCaption}
          headers={p.historyColumns}
          rows={r.history.map((h) => [dayOf(lang, h.at), p.transitions[h.transition], p.statuses[h.to], h.reason ?? '–'])}
        />
        {r.status === 'changes-requested' ? (
          <>
            <Heading level={2}>{p.resubmitHeading}</Heading>
            <Alert type="warning">
              <p class="utrecht-paragraph">{p.changesRequested}</p>
              {lastReason ? <p class="utrecht-paragraph"><strong>{p.reasonLabel}</strong> {lastReason}</p> : null}
            </Alert>
            <RequestForm t={t} area={area} action={`${area.base}/aanvragen/${r.requestId}`} csrf={ctx.csrf} values={values} errors={errors} topics={topics} submitLabel={p.resubmit} />
          </>
        ) : (
          <>
            {r.status === 'rejected' && lastReason ? (
              <Paragraph>
                <strong>{p.reasonLabel}</strong> {lastReason}
              </Paragraph>
            ) : null}
            <Heading level={2}>{p.contentHeading}</Heading>
            <Paragraph>{r.description}</Paragraph>
            <Heading level={3}>{c.learningGoals}</Heading>
            <ul class="utrecht-unordered-list">
              {r.learningGoals.map((g, i) => (
                <li class="utrecht-unordered-list__item" key={i}>
                  {g}
                </li>
              ))}
            </ul>
          </>
        )}
        <Paragraph>
          <Link href={area.home}>{p.backHome}</Link>
        </Paragraph>
      </>
    ),
  };
}
