import { pageHandler, type PageContext } from '../../shared/web/page';
import { Alert, DataList, Form, Heading, Link, Paragraph, SelectField, SubmitButton, Table } from '../../shared/web/components';
import { StaffNav } from '../../shared/web/staff-nav';
import { formatDate } from '../../shared/i18n';
import { pageRequest } from '../../shared/http/cursor';
import { BadRequest } from '../../shared/domain/errors';
import { listRequests } from '../../shared/services/recognition';
import { countFeesOfMonth, countPartition, countUnsentInvoices, oldestInQueue, registrationCounts } from '../../shared/data/dashboard';
import { REQUEST_STATUSES, type RequestStatus } from '../../shared/domain/recognition';
import { daysBetween } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { getEmployer, getProvider } from '../../shared/data/organisations';
import { ACTCLAIMSTATUS, REQSTATUS } from '../../shared/data/keys';

/*
 * /beheer (WEB.md): the numbers the register's staff watch — each one index Query or COUNT, never
 * a Scan (shared/data/dashboard.ts; what no index answers is named as such) — and the review
 * queue of one status, oldest first, through the same service as GET /v1/recognition-requests.
 */

const isStatus = (s: string | undefined): s is RequestStatus => (REQUEST_STATUSES as readonly string[]).includes(s ?? '');

async function numbers(today: string) {
  const [registrations, perStatus, oldest, claimsPending, fees, unsent] = await Promise.all([
    registrationCounts(today),
    Promise.all(REQUEST_STATUSES.map((s) => countPartition('gsi1', REQSTATUS(s)))),
    oldestInQueue(REQSTATUS('submitted')),
    countPartition('gsi1', ACTCLAIMSTATUS('pending')),
    countFeesOfMonth(today.slice(0, 7)),
    countUnsentInvoices(),
  ]);
  return { registrations, perStatus, oldest, claimsPending, fees, unsent };
}

export const handler = pageHandler({
  routes: ['page-staff-home'],
  handler: async (ctx: PageContext) => {
    const { t, lang, today } = ctx;
    const h = t.staff.home;
    const status: RequestStatus = isStatus(ctx.query.status) ? ctx.query.status : 'submitted';
    const filter = { status, ...(ctx.query.cursor ? { cursor: ctx.query.cursor } : {}) };
    let queue: Awaited<ReturnType<typeof listRequests>>;
    let badCursor = false;
    try {
      queue = await listRequests(ctx.caller!, { status }, await pageRequest('page-staff-home', { caller: ctx.caller, query: { ...filter, limit: 50 } }));
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      badCursor = true;
      queue = await listRequests(ctx.caller!, { status }, await pageRequest('page-staff-home', { caller: ctx.caller, query: { status, limit: 50 } }));
    }
    // The applicants' names: one GetItem per organisation on this page of the queue.
    const owners = [...new Map(queue.items.map((r) => [r.ownerId, r.ownerRole])).entries()];
    const names = new Map(
      await Promise.all(owners.map(async ([id, role]) => [id, (role === 'provider' ? await getProvider(id) : await getEmployer(id))?.name ?? id] as const)),
    );
    const n = await numbers(today);
    const oldestAt = n.oldest?.statusAt as string | undefined;
    const oldestDay = oldestAt ? todayInAmsterdam(new Date(oldestAt)) : undefined;
    const waiting = n.perStatus[REQUEST_STATUSES.indexOf('submitted')];
    return {
      title: h.title,
      body: (
        <>
          <Heading>{h.title}</Heading>
          <StaffNav t={t} current="home" />
          <Heading level={2}>{h.numbersHeading}</Heading>
          <DataList
            items={[
              { key: h.active, value: String(n.registrations.active) },
              { key: h.lapsing, value: String(n.registrations.lapsing) },
              { key: h.waiting, value: <>{String(waiting)}{' — '}{oldestDay ? h.oldest(daysBetween(oldestDay, today), formatDate(lang, oldestDay)) : h.noneWaiting}</> },
              { key: h.claimsPending, value: <Link href="/beheer/activeringen">{String(n.claimsPending)}</Link> },
              { key: h.feesThisMonth, value: String(n.fees) },
              { key: h.unsent, value: String(n.unsent) },
            ]}
          />
          <Heading level={3}>{h.notCounted}</Heading>
          <ul class="utrecht-unordered-list">
            <li class="utrecht-unordered-list__item">{h.notCountedCredits}</li>
            <li class="utrecht-unordered-list__item">{h.notCountedUnpaid}</li>
            <li class="utrecht-unordered-list__item">{h.notCountedUnaddressed}</li>
          </ul>

          <Heading level={2}>{h.queueHeading}</Heading>
          <Table
            caption={h.statusCounts}
            headers={h.statusColumns}
            rows={REQUEST_STATUSES.map((s, i) => [<Link href={`/beheer?status=${s}`}>{t.staff.statuses[s]}</Link>, String(n.perStatus[i])])}
          />
          <Form action="/beheer" method="get" label={h.showStatus}>
            <SelectField name="status" label={h.status} value={status} options={REQUEST_STATUSES.map((s) => ({ value: s, label: t.staff.statuses[s] }))} />
            <SubmitButton secondary>{h.show}</SubmitButton>
          </Form>
          {badCursor ? <Alert type="warning">{h.badCursor}</Alert> : null}
          {queue.items.length ? (
            <Table
              caption={`${h.queueCaption}: ${t.staff.statuses[status]}`}
              headers={h.queueColumns}
              rows={queue.items.map((r) => [
                <Link href={`/beheer/aanvragen/${r.requestId}`}>{r.title}</Link>,
                `${names.get(r.ownerId) ?? r.ownerId} (${t.staff.ownerRoles[r.ownerRole]})`,
                t.catalogue.kinds[r.activityType],
                formatDate(lang, todayInAmsterdam(new Date(r.statusAt))),
              ])}
            />
          ) : (
            <Paragraph>{h.queueEmpty}</Paragraph>
          )}
          {queue.nextCursor ? (
            <Paragraph>
              <Link href={`/beheer?${new URLSearchParams({ status, cursor: queue.nextCursor })}`}>{h.nextPage}</Link>
            </Paragraph>
          ) : null}
        </>
      ),
    };
  },
});
