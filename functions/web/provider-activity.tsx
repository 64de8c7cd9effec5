import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Link, Paragraph, TextField, type FormError } from '../../shared/web/components';
import { Checkbox, Fieldset } from '../../shared/web/fields';
import { Conflict, NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { ActivityParamsSchema, SessionSchema } from '../../shared/schemas/recognition';
import { changeActivitySessions, ownActivity, type SessionChange } from '../../shared/services/catalogue';
import type { Activity, ActivitySession } from '../../shared/data/activities';
import { getProvider } from '../../shared/data/organisations';
import { addDays } from '../../shared/domain/dates';
import { formatDate, formatPoints, type Messages } from '../../shared/i18n';
import { CSRF_FIELD } from '../../shared/web/session';

/*
 * /opleider/activiteiten/{activityId}: one of the provider's activities and its sessions, with a
 * form per session (change, cancel) and one to add a session. The change goes through
 * `changeActivitySessions` (the activity and its catalogue copies in one conditional write), so
 * /scholingskalender and its activity page show it at once. Another provider's activity — or an
 * employer's internal one — is the 404 page.
 */

/** A session form's fields are named `<field>_<row>` (`new` for the add form): ids stay unique on the page. */
interface SessionValues {
  startsOn: string;
  endsOn: string;
  location: string;
  online: boolean;
}

const valuesOf = (s: ActivitySession): SessionValues => ({ startsOn: s.startsOn, endsOn: s.endsOn ?? '', location: s.location ?? '', online: s.online === true });

export const handler = pageHandler({
  routes: ['page-provider-activity', 'page-provider-activity-sessions'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: async (ctx) => {
    const checked = validate(ActivityParamsSchema, { activityId: ctx.params.activityId ?? '' });
    if (!checked.ok) throw new NotFound();
    const activity = await ownActivity(ctx.caller!, checked.data.activityId);
    if (ctx.route.method === 'GET') return activityPage(ctx, activity, {}, []);
    return change(ctx, activity);
  },
});

async function change(ctx: PageContext, activity: Activity): Promise<PageResult> {
  const f = ctx.form;
  const row = f.row ?? '';
  const action = f.action;
  const seen = Number(f.version);
  const index = row === 'new' ? -1 : Number(row);
  if (!['add', 'change', 'cancel'].includes(action ?? '') || !Number.isInteger(seen) || (row !== 'new' && !(Number.isInteger(index) && index >= 0))) {
    return { ...activityPage(ctx, activity, {}, [], ctx.t.provider.sessionFormInvalid), status: 400 };
  }
  const typed: SessionValues = { startsOn: f[`startsOn_${row}`] ?? '', endsOn: f[`endsOn_${row}`] ?? '', location: f[`location_${row}`] ?? '', online: f[`online_${row}`] !== undefined };
  let changeOf: SessionChange;
  if (action === 'cancel') changeOf = { kind: 'cancel', index };
  else {
    const input = {
      startsOn: typed.startsOn.trim(),
      ...(typed.endsOn.trim() ? { endsOn: typed.endsOn.trim() } : {}),
      ...(typed.location.trim() ? { location: typed.location } : {}),
      ...(typed.online ? { online: true } : {}),
    };
    const session = validate(SessionSchema, input);
    if (!session.ok) {
      const p = ctx.t.provider;
      const labels: Record<string, string> = { startsOn: p.fieldStartsOn, endsOn: p.fieldEndsOn, location: p.fieldLocation };
      const errors: FormError[] = [];
      for (const e of session.errors) {
        const name = e.path.split('.')[0] || 'startsOn';
        const field = `${name}_${row}`;
        if (errors.some((x) => x.field === field)) continue;
        const value = (typed as unknown as Record<string, string>)[name] ?? '';
        errors.push({ field, message: name === 'location' && !value.trim() ? p.sessionPlaceRequired(labels.location) : value.trim() ? ctx.t.errors.invalid(labels[name] ?? name) : ctx.t.errors.required(labels[name] ?? name) });
      }
      return { ...activityPage(ctx, activity, { [row]: typed }, errors), status: 400 };
    }
    changeOf = action === 'add' ? { kind: 'add', session: session.data } : { kind: 'change', index, session: session.data };
  }
  try {
    await changeActivitySessions(ctx.caller!, activity.activityId, changeOf, seen);
  } catch (err) {
    if (err instanceof Conflict || err instanceof NotFound) {
      const fresh = await ownActivity(ctx.caller!, activity.activityId);
      return { ...activityPage(ctx, fresh, {}, [], ctx.t.provider.sessionsChangedMeanwhile), status: 409 };
    }
    throw err;
  }
  const done = { add: 'toegevoegd', change: 'gewijzigd', cancel: 'geannuleerd' }[changeOf.kind];
  return { redirect: `/opleider/activiteiten/${activity.activityId}?bijeenkomst=${done}` };
}

function SessionFields({ t, row, values, errors }: { t: Messages; row: string; values: SessionValues; errors: FormError[] }) {
  const p = t.provider;
  return (
    <>
      <TextField name={`startsOn_${row}`} label={p.fieldStartsOn} type="date" value={values.startsOn} errors={errors} />
      <TextField name={`endsOn_${row}`} label={p.fieldEndsOn} type="date" value={values.endsOn} errors={errors} />
      <TextField name={`location_${row}`} label={p.fieldLocation} value={values.location} errors={errors} />
      <Checkbox name={`online_${row}`} label={p.fieldOnline} checked={values.online} />
    </>
  );
}

function ActionButton({ value, children, secondary }: { value: string; children: string; secondary?: boolean }) {
  return (
    <button type="submit" name="action" value={value} class={`utrecht-button ${secondary ? 'utrecht-button--secondary-action' : 'utrecht-button--primary-action'}`}>
      {children}
    </button>
  );
}

function activityPage(ctx: PageContext, a: Activity, typed: Record<string, SessionValues>, errors: FormError[], problem?: string): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const p = t.provider;
  const c = t.catalogue;
  const version = String(a.sessionsVersion ?? 0);
  const sessions = [...a.sessions];
  const notice = { toegevoegd: p.sessionAdded, gewijzigd: p.sessionChanged, geannuleerd: p.sessionCancelled }[ctx.query.bijeenkomst ?? ''];
  const describe = (s: ActivitySession) =>
    `${s.endsOn && s.endsOn !== s.startsOn ? c.dateRange(formatDate(lang, s.startsOn), formatDate(lang, s.endsOn)) : formatDate(lang, s.startsOn)}, ${[s.location, s.online ? c.online : undefined].filter(Boolean).join(', ')}`;
  return {
    title: a.title,
    body: (
      <>
        <Heading>{a.title}</Heading>
        <ErrorSummary t={t} errors={errors} />
        {problem ? <Alert type="error">{problem}</Alert> : null}
        {notice && !errors.length && !problem ? <Alert type="ok">{notice}</Alert> : null}
        <DataList
          items={[
            { key: c.columnPoints, value: c.points(formatPoints(lang, a.points)) },
            { key: c.kind, value: c.kinds[a.activityType] },
            { key: c.recognizedUntil, value: formatDate(lang, addDays(a.recognizedUntil, -1)) },
            { key: p.inCatalogue, value: a.internal ? p.internalYes : <Link href={`/scholingskalender/${a.activityId}`}>{p.catalogueLink(a.title)}</Link> },
            { key: p.request, value: <Link href={`/opleider/aanvragen/${a.requestId}`}>{p.requestLink}</Link> },
          ]}
        />
        <Heading level={2}>{c.sessionsTitle}</Heading>
        {sessions.length ? null : <Paragraph>{p.noSessionsYet}</Paragraph>}
        {sessions.map((s, i) => (
          <form class="utrecht-form" action={`/opleider/activiteiten/${a.activityId}`} method="post" noValidate aria-label={p.sessionLegend(i + 1)} key={`${i}-${s.startsOn}`}>
            <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />
            <input type="hidden" name="row" value={String(i)} />
            <input type="hidden" name="version" value={version} />
            <Fieldset legend={`${p.sessionLegend(i + 1)}: ${describe(s)}`}>
              <SessionFields t={t} row={String(i)} values={typed[String(i)] ?? valuesOf(s)} errors={errors} />
              <ActionButton value="change">{p.changeSession}</ActionButton> <ActionButton value="cancel" secondary>{p.cancelSession}</ActionButton>
            </Fieldset>
          </form>
        ))}
        <Heading level={2}>{p.addSessionHeading}</Heading>
        <Form action={`/opleider/activiteiten/${a.activityId}`} csrf={ctx.csrf} label={p.addSessionHeading}>
          <input type="hidden" name="row" value="new" />
          <input type="hidden" name="version" value={version} />
          <SessionFields t={t} row="new" values={typed.new ?? { startsOn: '', endsOn: '', location: '', online: false }} errors={errors} />
          <ActionButton value="add">{p.addSession}</ActionButton>
        </Form>
        <Paragraph>
          <Link href="/opleider">{p.backHome}</Link>
        </Paragraph>
      </>
    ),
  };
}
