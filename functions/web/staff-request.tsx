import * as z from 'zod/mini';
import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Link, Paragraph, RadioGroup, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { TextArea } from '../../shared/web/fields';
import { StaffNav } from '../../shared/web/staff-nav';
import { formatDate, formatPoints } from '../../shared/i18n';
import { Conflict } from '../../shared/domain/errors';
import { decide, listTopics, requestFor } from '../../shared/services/recognition';
import { DecisionRequestSchema } from '../../shared/schemas/recognition';
import { DECISIONS, reasonRequired, type Decision } from '../../shared/domain/recognition';
import type { RecognitionRequest } from '../../shared/data/recognition';
import { todayInAmsterdam } from '../../shared/dates';
import { getEmployer, getProvider } from '../../shared/data/organisations';

/*
 * /beheer/aanvragen/{requestId} (WEB.md): one recognition request with its history, and the
 * decision form — **Besluit** (radio buttons in a fieldset) and **Toelichting**, required for
 * Afwijzen and Wijzigingen vragen (SPEC) — posted to the same service as
 * POST /v1/recognition-requests/{id}/decision. A decision that lost to another one (409) is
 * explained in words, with the history that shows what happened.
 */

/** The topics' names for this request's page (one Query of `TOPICS`). */
const topicNames = new WeakMap<PageContext, Map<string, string>>();
/** The applicant's name (GetItem of its profile). */
const ownerNames = new WeakMap<PageContext, string>();

interface Values {
  decision: string;
  reason: string;
  recognizedUntil: string;
}

const FormSchema = z.object({ decision: z.enum(DECISIONS), reason: z.optional(z.string()), recognizedUntil: z.optional(z.string()) });

export const handler = pageHandler({
  routes: ['page-staff-request', 'page-staff-request-decision'],
  handler: async (ctx) => {
    const [request, topics] = await Promise.all([requestFor(ctx.caller!, ctx.params.requestId), listTopics()]);
    topicNames.set(ctx, new Map(topics.map((x) => [x.code, x.name])));
    const owner = request.ownerRole === 'provider' ? await getProvider(request.ownerId) : await getEmployer(request.ownerId);
    ownerNames.set(ctx, owner?.name ?? request.ownerId);
    if (ctx.route.id === 'page-staff-request-decision') return post(ctx, request);
    return show(ctx, request, { decision: '', reason: '', recognizedUntil: '' }, []);
  },
});

async function post(ctx: PageContext, request: RecognitionRequest): Promise<PageResult> {
  const r = ctx.t.staff.request;
  const values: Values = { decision: ctx.form.decision ?? '', reason: ctx.form.reason ?? '', recognizedUntil: ctx.form.recognizedUntil ?? '' };
  const labels = { decision: r.decision, reason: r.reason, recognizedUntil: r.recognizedUntil };
  const errors: FormError[] = [];
  const shape = checkForm(FormSchema, { decision: values.decision }, ctx.t, labels);
  if (!shape.ok) errors.push({ field: 'decision', message: r.decisionRequired });
  const decision = shape.ok ? (shape.data.decision as Decision) : undefined;
  const input = {
    ...(decision ? { decision } : {}),
    ...(values.reason.trim() ? { reason: values.reason } : {}),
    ...(decision === 'approved' && values.recognizedUntil.trim() ? { recognizedUntil: values.recognizedUntil.trim() } : {}),
  };
  if (decision) {
    // The API's own schema (text() rules for the reason, the date's shape), then the domain's rule.
    const checked = checkForm(DecisionRequestSchema, input, ctx.t, labels);
    if (!checked.ok) errors.push(...checked.errors);
    if (reasonRequired(decision) && !values.reason.trim()) errors.push({ field: 'reason', message: r.reasonRequired });
    if (input.recognizedUntil && input.recognizedUntil <= ctx.today && !errors.some((e) => e.field === 'recognizedUntil')) {
      errors.push({ field: 'recognizedUntil', message: ctx.t.errors.invalid(r.recognizedUntil) });
    }
  }
  if (errors.length) return { ...show(ctx, request, values, errors), status: 400 };
  try {
    await decide(ctx.caller!, request.requestId, input as { decision: Decision; reason?: string; recognizedUntil?: string }, ctx.today);
  } catch (err) {
    if (err instanceof Conflict) {
      const fresh = await requestFor(ctx.caller!, request.requestId);
      return { ...show(ctx, fresh, values, [], r.conflict(ctx.t.staff.statuses[fresh.status])), status: 409 };
    }
    throw err;
  }
  return { redirect: `/beheer/aanvragen/${request.requestId}?besloten=${decision}` };
}

function show(ctx: PageContext, request: RecognitionRequest, values: Values, errors: FormError[], conflict?: string): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const r = t.staff.request;
  const date = (instant: string) => formatDate(lang, todayInAmsterdam(new Date(instant)));
  const time = (instant: string) => `${date(instant)}, ${new Date(instant).toLocaleTimeString(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' })}`;
  const decided = ctx.query.besloten as Decision | undefined;
  const justDecided = decided && (DECISIONS as readonly string[]).includes(decided) && !errors.length && !conflict;
  return {
    title: r.title(request.title),
    body: (
      <>
        <Heading>{r.title(request.title)}</Heading>
        <StaffNav t={t} current="home" />
        <Paragraph>
          <Link href="/beheer">{r.back}</Link>
        </Paragraph>
        <ErrorSummary t={t} errors={errors} />
        {conflict ? <Alert type="error">{conflict}</Alert> : null}
        {justDecided ? (
          <Alert type="ok">
            {r.decided(r.decisions[decided])}
            {request.points !== undefined && decided === 'approved' ? ` ${r.activityCreated(t.catalogue.points(formatPoints(lang, request.points)))}` : ''}
          </Alert>
        ) : null}
        <Heading level={2}>{r.details}</Heading>
        <Details ctx={ctx} request={request} />
        <Heading level={2}>{r.historyHeading}</Heading>
        <Table
          caption={r.historyCaption}
          headers={r.historyColumns}
          rows={request.history.map((h) => [time(h.at), `${h.actor.role} ${h.actor.id}`, r.transitions[h.transition] ?? h.transition, h.reason ?? ''])}
        />
        <Heading level={2}>{r.decisionHeading}</Heading>
        {request.status === 'submitted' ? (
          <Form action={`/beheer/aanvragen/${request.requestId}`} csrf={ctx.csrf} label={r.decisionHeading}>
            <RadioGroup
              name="decision"
              legend={r.decision}
              value={values.decision}
              errors={errors}
              options={DECISIONS.map((d) => ({ value: d, label: r.decisions[d] }))}
            />
            <TextArea name="reason" label={r.reason} value={values.reason} errors={errors} description={r.reasonHint} />
            <TextField name="recognizedUntil" type="date" label={r.recognizedUntil} value={values.recognizedUntil} errors={errors} description={r.recognizedUntilHint} />
            <SubmitButton>{r.submit}</SubmitButton>
          </Form>
        ) : (
          <Paragraph>{r.notWaiting}</Paragraph>
        )}
      </>
    ),
  };
}

function Details({ ctx, request }: { ctx: PageContext; request: RecognitionRequest }) {
  const { t, lang } = ctx;
  const r = t.staff.request;
  return (
    <DataList
      items={[
        { key: r.requestId, value: request.requestId },
        { key: r.owner, value: `${ownerNames.get(ctx) ?? request.ownerId} (${t.staff.ownerRoles[request.ownerRole]})` },
        { key: r.status, value: t.staff.statuses[request.status] },
        { key: r.submittedAt, value: formatDate(lang, todayInAmsterdam(new Date(request.submittedAt))) },
        { key: r.description, value: request.description },
        {
          key: r.goals,
          value: (
            <ul class="utrecht-unordered-list">
              {request.learningGoals.map((g) => (
                <li class="utrecht-unordered-list__item" key={g}>
                  {g}
                </li>
              ))}
            </ul>
          ),
        },
        { key: r.kind, value: t.catalogue.kinds[request.activityType] },
        { key: r.nature, value: t.catalogue.natures[request.nature] },
        { key: r.topics, value: request.topics.map((c) => (topicNames.get(ctx)?.get(c) ? `${c} ${topicNames.get(ctx)!.get(c)}` : c)).join(', ') },
        { key: r.studyTime, value: r.minutes(request.netStudyMinutes) },
        { key: r.completion, value: `${t.catalogue.completions[request.completion.type]}: ${request.completion.description}` },
        { key: r.internal, value: request.internal ? r.yes : r.no },
        {
          key: r.sessions,
          value: request.sessions.length
            ? request.sessions.map((s) => `${formatDate(lang, s.startsOn)}${s.endsOn ? ` – ${formatDate(lang, s.endsOn)}` : ''}${s.location ? `, ${s.location}` : ''}${s.online ? `, ${r.online}` : ''}`).join('; ')
            : r.noSessions,
        },
      ]}
    />
  );
}

