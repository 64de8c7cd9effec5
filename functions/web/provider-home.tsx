import { pageHandler, type PageContext } from '../../shared/web/page';
import { ButtonLink, Heading, Link, Paragraph, Table } from '../../shared/web/components';
import { listRequests } from '../../shared/services/recognition';
import { ownActivities } from '../../shared/services/catalogue';
import { getProvider } from '../../shared/data/organisations';
import { REQUEST_STATUSES, type RequestStatus } from '../../shared/domain/recognition';
import { addDays } from '../../shared/domain/dates';
import { formatDate, formatPoints } from '../../shared/i18n';
import { todayInAmsterdam } from '../../shared/dates';
import { loadProviderInbox, ProviderInboxSection } from '../../shared/web/unmatched';
import { EvaluationsMenuItem } from '../../shared/web/evaluations';

/*
 * /opleider (WEB.md): the provider's home. Its recognition requests by status (changes requested
 * first: they wait for the provider), its activities with their next session, and the way to
 * the other provider pages. The lists come from the API's services (`listRequests`, the caller's
 * own requests; `ownActivities`).
 */

/** One page of the provider's own requests, without cursors: the home shows the first 200. */
const HOME_LIMIT = 200;
const ORDER: RequestStatus[] = ['changes-requested', 'submitted', 'approved', 'rejected'];

async function providerName(ctx: PageContext) {
  const p = await getProvider(ctx.session!.ownerId);
  return p ? { name: p.name } : {};
}

export const handler = pageHandler({
  routes: ['page-provider-home'],
  viewer: providerName,
  handler: async (ctx) => {
    const { t, lang, caller } = ctx;
    const p = t.provider;
    const [requests, activities, unmatched] = await Promise.all([listRequests(caller!, {}, { limit: HOME_LIMIT, next: () => undefined }), ownActivities(caller!), loadProviderInbox(caller!)]);
    const byStatus = new Map<RequestStatus, typeof requests.items>(REQUEST_STATUSES.map((s) => [s, []]));
    for (const r of requests.items) byStatus.get(r.status)!.push(r);
    const day = (iso: string) => formatDate(lang, todayInAmsterdam(new Date(iso)));
    return {
      title: p.homeTitle,
      body: (
        <>
          <Heading>{p.homeTitle}</Heading>
          <nav aria-labelledby="opleider-menu">
            <Heading level={2}>
              <span id="opleider-menu">{p.menuHeading}</span>
            </Heading>
            <ul class="utrecht-unordered-list">
              <li class="utrecht-unordered-list__item">
                <Link href="/opleider/aanvragen/nieuw">{p.menuNewRequest}</Link>
              </li>
              <li class="utrecht-unordered-list__item">
                <Link href="/opleider/presentie">{p.menuAttendance}</Link>
              </li>
              <li class="utrecht-unordered-list__item">
                <Link href="/opleider/koppeling">{p.menuIntegration}</Link>
              </li>
              <li class="utrecht-unordered-list__item">
                <Link href="/opleider/gebruikers">{p.menuUsers}</Link>
              </li>
              <EvaluationsMenuItem t={t} />
              <li class="utrecht-unordered-list__item">
                <Link href="#onbekend">{t.unmatched.menuItem}</Link>
              </li>
            </ul>
          </nav>

          <Heading level={2}>{p.requestsHeading}</Heading>
          {requests.items.length === 0 ? <Paragraph>{p.noRequests}</Paragraph> : null}
          {ORDER.map((status) => {
            const list = byStatus.get(status)!;
            if (!list.length) return null;
            return (
              <section key={status} aria-labelledby={`aanvragen-${status}`}>
                <Heading level={3}>
                  <span id={`aanvragen-${status}`}>{p.statusHeadings[status](list.length)}</span>
                </Heading>
                <Table
                  caption={p.statusHeadings[status](list.length)}
                  headers={p.requestColumns}
                  rows={list.map((r) => [
                    <Link href={`/opleider/aanvragen/${r.requestId}`}>{status === 'changes-requested' ? p.resubmitLink(r.title) : r.title}</Link>,
                    t.catalogue.kinds[r.activityType],
                    day(r.submittedAt),
                    day(r.statusAt),
                  ])}
                />
              </section>
            );
          })}
          <ButtonLink href="/opleider/aanvragen/nieuw">{p.menuNewRequest}</ButtonLink>
          {/* issue 16 part 4 (unmatched completions): the provider's unmatched completions go here */}
          <ProviderInboxSection t={t} lang={lang} inbox={unmatched} titles={new Map(activities.map((a) => [a.activityId, a.title]))} />

          <Heading level={2}>{p.activitiesHeading}</Heading>
          {activities.length ? (
            <Table
              caption={p.activitiesHeading}
              headers={p.activityColumns}
              rows={activities.map((a) => {
                const next = [...a.sessions].map((s) => s.startsOn).filter((d) => d >= ctx.today).sort()[0];
                return [
                  <Link href={`/opleider/activiteiten/${a.activityId}`}>{a.title}</Link>,
                  t.catalogue.points(formatPoints(lang, a.points)),
                  // recognizedUntil is exclusive: the last recognised day is the one before.
                  formatDate(lang, addDays(a.recognizedUntil, -1)),
                  next ? formatDate(lang, next) : p.noNextSession,
                  String(a.sessions.length),
                ];
              })}
            />
          ) : (
            <Paragraph>{p.noActivities}</Paragraph>
          )}
        </>
      ),
    };
  },
});
