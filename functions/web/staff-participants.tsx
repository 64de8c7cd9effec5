import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { StaffNav } from '../../shared/web/staff-nav';
import { formatDate, formatPoints } from '../../shared/i18n';
import { pageRequest } from '../../shared/http/cursor';
import { BadRequest, NotFound } from '../../shared/domain/errors';
import { participantDossier } from '../../shared/services/participants';
import { listParticipantEvents } from '../../shared/data/credits';
import { displayName, getDiploma, getParticipant, participantIdByRegistrationNumber, searchByName, type Participant } from '../../shared/data/participants';
import { todayInAmsterdam } from '../../shared/dates';
import { actorOf } from '../../shared/services/access';
import { ErasureRequestSchema } from '../../shared/schemas/data-rights';
import { eraseParticipant } from '../../shared/services/personal-data/rights';
import { ErasureConfirmation, ErasureReasonPage, ErasureSection } from '../../shared/web/data-rights';

/*
 * /beheer/deelnemers: find a participant by registration number (GetItem REGNO#), diploma number
 * (GetItem DIPLOMA#) or name (the surname index, as the public register but every diploma
 * holder, registered or not); /beheer/deelnemers/{participantId}: the dossier (the admin's view
 * of GET /v1/participants/{id}) and the audit trail (GET /v1/participants/{id}/events), paged
 * with a cursor signed for this page, this participant and this admin.
 */

type FoundBy = 'registrationNumber' | 'diplomaNumber' | 'name';
const INITIALS = /^(?:\p{Lu}\.?)+$/u;

/** `J.P. de Vries`, `Vries, J.P.`, `de Vries` → surname as typed and the initials, if any. */
function nameQuery(q: string): { lastName: string; initials?: string } {
  const comma = q.indexOf(',');
  if (comma !== -1) {
    const rest = q.slice(comma + 1).trim().replace(/\s+/g, '');
    if (INITIALS.test(rest)) return { lastName: q.slice(0, comma).trim(), initials: rest };
    return { lastName: q };
  }
  const words = q.split(/\s+/);
  if (words.length > 1 && INITIALS.test(words[0])) return { lastName: words.slice(1).join(' '), initials: words[0] };
  return { lastName: q };
}

async function find(q: string): Promise<{ participant: Participant; by: FoundBy }[]> {
  const id = /^[A-Za-z0-9-]{4,32}$/.test(q) ? q : undefined;
  const [byRegNo, diploma] = await Promise.all([id ? participantIdByRegistrationNumber(id) : undefined, id ? getDiploma(id) : undefined]);
  const found: { participant: Participant; by: FoundBy }[] = [];
  for (const [pid, by] of [[byRegNo, 'registrationNumber'], [diploma?.participantId as string | undefined, 'diplomaNumber']] as const) {
    if (!pid || found.some((f) => f.participant.participantId === pid)) continue;
    const p = await getParticipant(pid);
    if (p) found.push({ participant: p, by });
  }
  const { lastName, initials } = nameQuery(q);
  for (const p of await searchByName(lastName, initials, 50)) {
    if (!found.some((f) => f.participant.participantId === p.participantId)) found.push({ participant: p, by: 'name' });
  }
  return found;
}

export const handler = pageHandler({
  routes: ['page-staff-participants', 'page-staff-participant', 'page-staff-participant-erasure'],
  // Two GET routes share this file: the recipe picks the route by method, the path parameter tells them apart.
  handler: async (ctx) =>
    ctx.route.id === 'page-staff-participant-erasure' ? erasurePage(ctx) : ctx.params.participantId !== undefined ? dossierPage(ctx) : searchPage(ctx),
});

/**
 * POST /beheer/deelnemers/{participantId}/verwijderen (issue 16 part 6): the reason (required),
 * then a confirmation page, whose button posts again with `bevestigd=ja`: only then is the
 * participant erased (the API's own service), and the dossier shows it.
 */
async function erasurePage(ctx: PageContext): Promise<PageResult> {
  const participantId = ctx.params.participantId;
  if (!/^par_[0-9A-Za-z]{1,40}$/.test(participantId)) return notFound();
  const participant = await getParticipant(participantId, true);
  if (!participant) return notFound();
  const d = ctx.t.dataRights;
  const date = (iso: string) => formatDate(ctx.lang, iso);
  const posted = ctx.form.reden ?? '';
  const checked = ErasureRequestSchema.safeParse({ reason: posted });
  const name = displayName(participant);
  if (!checked.success) {
    const errors: FormError[] = [{ field: 'reden', message: posted.length > 500 ? d.reasonTooLong : d.reasonRequired }];
    return {
      status: 400,
      title: d.confirmTitle(name),
      body: <ErasureReasonPage t={ctx.t} participantId={participantId} name={name} reason={posted} csrf={ctx.csrf} errors={errors} date={date} />,
    };
  }
  if (ctx.form.bevestigd !== 'ja') {
    return { title: d.confirmTitle(name), body: <ErasureConfirmation t={ctx.t} participantId={participantId} name={name} reason={checked.data.reason} csrf={ctx.csrf} /> };
  }
  await eraseParticipant(participantId, { reason: checked.data.reason, actor: actorOf(ctx.caller) });
  return { redirect: `/beheer/deelnemers/${participantId}?verwijderd=1` };
}

async function searchPage(ctx: PageContext): Promise<PageResult> {
  const { t } = ctx;
  const p = t.staff.participants;
  const q = (ctx.query.q ?? '').trim();
  const asked = ctx.query.q !== undefined;
  const errors: FormError[] = asked && !q ? [{ field: 'q', message: p.searchRequired }] : [];
  const results = q && q.length <= 200 ? await find(q) : [];
  return {
    status: errors.length ? 400 : undefined,
    title: p.title,
    body: (
      <>
        <Heading>{p.title}</Heading>
        <StaffNav t={t} current="participants" />
        <ErrorSummary t={t} errors={errors} />
        <Form action="/beheer/deelnemers" method="get" label={p.title}>
          <TextField name="q" type="search" label={p.search} description={p.searchHint} value={q} errors={errors} />
          <SubmitButton>{p.submit}</SubmitButton>
        </Form>
        {q ? (
          results.length ? (
            <Table
              caption={p.resultsCaption(q)}
              headers={p.columns}
              rows={results.map((r) => [
                <Link href={`/beheer/deelnemers/${r.participant.participantId}`}>{displayName(r.participant)}</Link>,
                r.participant.registrationNumber,
                p.foundBy[r.by],
              ])}
            />
          ) : (
            <Paragraph>{p.none(q)}</Paragraph>
          )
        ) : null}
      </>
    ),
  };
}

async function dossierPage(ctx: PageContext): Promise<PageResult> {
  const { t, lang } = ctx;
  const p = t.staff.participants;
  const participantId = ctx.params.participantId;
  if (!/^par_[0-9A-Za-z]{1,40}$/.test(participantId)) return notFound();
  const { dossier: d, participant } = await participantDossier(ctx.caller, participantId, ctx.today);
  const query = { ...(ctx.query.cursor ? { cursor: ctx.query.cursor } : {}), limit: 50 };
  let paging;
  let badCursor = false;
  try {
    paging = await pageRequest('page-staff-participant', { caller: ctx.caller, params: { participantId }, query });
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    badCursor = true;
    paging = await pageRequest('page-staff-participant', { caller: ctx.caller, params: { participantId }, query: { limit: 50 } });
  }
  const events = await listParticipantEvents(participantId, paging.limit, paging.start);
  const next = paging.next(events.lastKey);
  const date = (iso: string) => formatDate(lang, iso);
  const instant = (at: string) =>
    `${formatDate(lang, todayInAmsterdam(new Date(at)))} ${new Date(at).toLocaleTimeString(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' })}`;
  const points = (n: number) => t.catalogue.points(formatPoints(lang, n));
  const data = (e: { before?: unknown; after?: unknown; detail?: unknown }) =>
    [e.before !== undefined ? `before ${JSON.stringify(e.before)}` : '', e.after !== undefined ? `after ${JSON.stringify(e.after)}` : '', e.detail !== undefined ? JSON.stringify(e.detail) : '']
      .filter(Boolean)
      .join(' · ');
  return {
    title: p.dossierTitle(d.name),
    body: (
      <>
        <Heading>{p.dossierTitle(d.name)}</Heading>
        <StaffNav t={t} current="participants" />
        <Paragraph>
          <Link href="/beheer/deelnemers">{p.back}</Link>
        </Paragraph>
        <DataList
          items={[
            { key: p.name, value: d.name },
            { key: p.registrationNumber, value: d.registrationNumber },
            // An erased participant's diploma number is gone (issue 16 part 6).
            { key: p.diploma, value: p.diplomaValue(d.diploma.diplomaNumber ?? '—', d.diploma.type, date(d.diploma.issuedOn)) },
            { key: p.diplomaTitle, value: d.title ?? p.noTitle },
            {
              key: p.current,
              value: d.current ? p.periodValue(date(d.current.startsOn), date(d.current.validUntil), t.dossier.statuses[d.current.status], points(d.current.pointsEarned)) : p.noCurrent,
            },
          ]}
        />
        {d.registrations.length ? (
          <Table
            caption={p.periodsCaption}
            headers={p.periodsColumns}
            rows={d.registrations.map((r) => [date(r.startsOn), date(r.validUntil), t.dossier.statuses[r.status], formatPoints(lang, r.pointsEarned)])}
          />
        ) : null}
        {d.credits.length ? (
          <Table
            caption={p.creditsCaption}
            headers={p.creditsColumns}
            rows={d.credits.map((c) => [c.activityTitle, date(c.completedOn), formatPoints(lang, c.points), c.status === 'revoked' ? p.creditRevoked : p.creditGranted])}
          />
        ) : (
          <Paragraph>{p.noCredits}</Paragraph>
        )}
        {ctx.query.verwijderd === '1' && participant.erasure?.status === 'erased' ? <Alert type="ok">{t.dataRights.done}</Alert> : null}
        <ErasureSection t={t} participantId={participantId} erasure={participant.erasure} csrf={ctx.csrf} date={date} />
        <Heading level={2}>{p.auditHeading}</Heading>
        {badCursor ? <Alert type="warning">{t.staff.home.badCursor}</Alert> : null}
        {events.items.length ? (
          <Table caption={p.auditCaption} headers={p.auditColumns} rows={events.items.map((e) => [instant(e.at), `${e.actor.role} ${e.actor.id}`, e.action, data(e)])} />
        ) : (
          <Paragraph>{p.noEvents}</Paragraph>
        )}
        {next ? (
          <Paragraph>
            <Link href={`/beheer/deelnemers/${participantId}?${new URLSearchParams({ cursor: next })}`}>{p.nextPage}</Link>
          </Paragraph>
        ) : null}
        {ctx.query.cursor ? (
          <Paragraph>
            <Link href={`/beheer/deelnemers/${participantId}`}>{p.firstPage}</Link>
          </Paragraph>
        ) : null}
      </>
    ),
  };
}

function notFound(): never {
  throw new NotFound('No participant with this id.');
}
